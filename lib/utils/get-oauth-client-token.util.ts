/**
 * The DI token of the client registered as `name`: `OAuthClient(github)`.
 * Use it with `overrideProvider()` in tests, or with `@Inject()`.
 *
 * @param name - the client's name
 * @returns the injection token
 * @example
 * ```ts
 * Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(getOAuthClientToken('github')).useValue(fakeGithub);
 * ```
 */
export const getOAuthClientToken = (name: string): string => `OAuthClient(${name})`;
