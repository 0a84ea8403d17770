import { Module } from '@nestjs/common';
import { SessionStore } from './session.store.js';

/** Holds the sample's session store, so `OAuthModule`'s factory can inject it. */
@Module({ providers: [SessionStore], exports: [SessionStore] })
export class SessionModule {}
