import { randomBytes } from 'node:crypto';

/** Who signed in, for which authorization request. */
export interface LoginTicket {
  /** The signed-in account. */
  sub: string;
  /** When the password was checked, epoch seconds. */
  authTime: number;
  /** The authorization request it is for (client id and request parameters). */
  request: string;
}

const TICKET_TTL_MS = 5 * 60 * 1000;

/**
 * The link between the login form and the consent form of one authorization
 * request. This provider keeps no sign-in session (so every authorization
 * asks for the password: `prompt=login` and `prompt=consent` are always
 * honoured); a successful login gives the consent page an unguessable,
 * single-use ticket for that request only. No cookie is involved, so a page
 * of another site cannot submit the consent form for the user (no CSRF).
 */
export class LoginTickets {
  private readonly tickets = new Map<string, LoginTicket & { expiresAt: number }>();

  /** Issues a ticket for a login. */
  issue(ticket: LoginTicket): string {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.tickets.set(id, { ...ticket, expiresAt: Date.now() + TICKET_TTL_MS });
    return id;
  }

  /** Uses up a ticket: the login, if the ticket exists, is fresh and was issued for `request`. */
  take(id: unknown, request: string): LoginTicket | undefined {
    if (typeof id !== 'string') return undefined;
    const ticket = this.tickets.get(id);
    this.tickets.delete(id);
    if (!ticket || ticket.expiresAt < Date.now() || ticket.request !== request) return undefined;
    return ticket;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, ticket] of this.tickets) if (ticket.expiresAt < now) this.tickets.delete(id);
  }
}
