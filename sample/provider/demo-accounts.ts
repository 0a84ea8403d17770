/** The local provider's demo accounts (shown on its login page). */

/** A demo account of the local provider. */
export interface DemoAccount {
  password: string;
  claims: {
    sub: string;
    name: string;
    given_name: string;
    family_name: string;
    email: string;
    email_verified: boolean;
    preferred_username: string;
  };
}

/** The accounts you can sign in with (shown on the login page). */
export const DEMO_ACCOUNTS: Record<string, DemoAccount> = {
  alice: {
    password: 'wonderland',
    claims: {
      sub: 'alice',
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      email: 'alice@example.com',
      email_verified: true,
      preferred_username: 'alice',
    },
  },
  bob: {
    password: 'builder',
    claims: {
      sub: 'bob',
      name: 'Bob Builder',
      given_name: 'Bob',
      family_name: 'Builder',
      email: 'bob@example.com',
      email_verified: false,
      preferred_username: 'bob',
    },
  },
};
