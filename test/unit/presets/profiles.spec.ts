// Profile mappings, fed with the sample payloads each provider documents.
import { InvalidResponseError, InvalidTokenError } from '../../../lib/core/errors.js';
import { appleProfile } from '../../../lib/presets/apple.preset.js';
import { discordProfile } from '../../../lib/presets/discord.preset.js';
import { facebookProfile } from '../../../lib/presets/facebook.preset.js';
import { githubProfile } from '../../../lib/presets/github.preset.js';
import { gitlabProfile } from '../../../lib/presets/gitlab.preset.js';
import { googleProfile, googleProfileFor } from '../../../lib/presets/google.preset.js';
import { linkedinProfile } from '../../../lib/presets/linkedin.preset.js';
import { microsoftProfile } from '../../../lib/presets/microsoft.preset.js';
import { oidcProfile } from '../../../lib/presets/oidc.preset.js';
import { twitterProfile } from '../../../lib/presets/twitter.preset.js';
import { xProfile } from '../../../lib/presets/x.preset.js';

describe('github profile', () => {
  // https://docs.github.com/en/rest/users/users#get-the-authenticated-user (response example)
  const octocat = {
    login: 'octocat',
    id: 1,
    node_id: 'MDQ6VXNlcjE=',
    avatar_url: 'https://github.com/images/error/octocat_happy.gif',
    gravatar_id: '',
    url: 'https://api.github.com/users/octocat',
    html_url: 'https://github.com/octocat',
    type: 'User',
    site_admin: false,
    name: 'monalisa octocat',
    company: 'GitHub',
    blog: 'https://github.com/blog',
    location: 'San Francisco',
    email: 'octocat@github.com',
    hireable: false,
    bio: 'There once was...',
    twitter_username: 'monatheoctocat',
    public_repos: 2,
    followers: 20,
    following: 0,
    created_at: '2008-01-14T04:33:35Z',
  };

  it('maps the documented user, with the numeric id as a string sub', async () => {
    await expect(githubProfile(octocat)).resolves.toEqual({
      sub: '1',
      name: 'monalisa octocat',
      preferred_username: 'octocat',
      email: 'octocat@github.com',
      picture: 'https://github.com/images/error/octocat_happy.gif',
      profile: 'https://github.com/octocat',
    });
  });

  it('handles the private-email case (email: null) and a missing name without a token', async () => {
    const claims = await githubProfile({ ...octocat, email: null, name: null });
    expect(claims.email).toBeUndefined();
    expect(claims.email_verified).toBeUndefined();
    expect(claims.name).toBe('octocat');
    expect('email' in claims).toBe(false);
  });
});

describe('google profile', () => {
  // https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload
  const idToken = {
    iss: 'https://accounts.google.com',
    azp: '1234987819200.apps.googleusercontent.com',
    aud: '1234987819200.apps.googleusercontent.com',
    sub: '10769150350006150715113082367',
    at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
    hd: 'example.com',
    email: 'jsmith@example.com',
    email_verified: 'true',
    iat: 1353601026,
    exp: 1353604926,
    nonce: '0394852-3190485-2490358',
  };

  it('maps the documented ID token and turns the string email_verified into a boolean', () => {
    expect(googleProfile(idToken)).toEqual({
      sub: '10769150350006150715113082367',
      email: 'jsmith@example.com',
      email_verified: true,
      hd: 'example.com',
    });
  });

  it('keeps the profile claims of the UserInfo response', () => {
    const claims = googleProfile({
      sub: '110169484474386276334',
      name: 'Jane Smith',
      given_name: 'Jane',
      family_name: 'Smith',
      picture: 'https://lh3.googleusercontent.com/a/photo',
      email: 'jane@gmail.com',
      email_verified: true,
      locale: 'en',
    });
    expect(claims).toMatchObject({ name: 'Jane Smith', picture: expect.stringContaining('lh3') });
    expect(claims.preferred_username).toBeUndefined();
  });

  it('with a hosted domain, refuses accounts of other domains and consumer accounts', () => {
    const forExample = googleProfileFor('example.com');
    expect(forExample(idToken).sub).toBe('10769150350006150715113082367');
    expect(() => forExample({ ...idToken, hd: 'evil.example' })).toThrow(InvalidTokenError);
    try {
      forExample({ ...idToken, hd: undefined });
      throw new Error('accepted a consumer account');
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidTokenError);
      expect((err as InvalidTokenError).claim).toBe('hd');
      expect((err as InvalidTokenError).error).toBe('invalid_token');
    }
  });
});

describe('microsoft profile', () => {
  // https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference (v2.0 sample)
  const idToken = {
    aud: '6cb04018-a3f5-46a7-b995-940c78f5aef3',
    iss: 'https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0',
    iat: 1536361411,
    nbf: 1536361411,
    exp: 1536365311,
    name: 'Abe Lincoln',
    oid: '00000000-0000-0000-66f3-3332eca7ea81',
    preferred_username: 'AbeLi@microsoft.com',
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    tid: '9122040d-6c67-4c5b-b112-36a304b66dad',
    ver: '2.0',
  };

  it('maps the documented ID token and never claims a verified email', () => {
    expect(microsoftProfile(idToken)).toEqual({
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      name: 'Abe Lincoln',
      preferred_username: 'AbeLi@microsoft.com',
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      tid: '9122040d-6c67-4c5b-b112-36a304b66dad',
    });
  });

  it('maps the UserInfo response (no name: given + family)', () => {
    // https://learn.microsoft.com/en-us/entra/identity-platform/userinfo (response example)
    const claims = microsoftProfile({
      sub: 'OLu859SGc2Sr9ZsqbkG-QbeLgJlb41KcdiPoLYNpSFA',
      family_name: 'Ollenburg',
      given_name: 'Mikah',
      picture: 'https://graph.microsoft.com/v1.0/me/photo/$value',
      email: 'mikoll@contoso.com',
    });
    expect(claims).toMatchObject({ name: 'Mikah Ollenburg', email: 'mikoll@contoso.com' });
    expect(claims.email_verified).toBeUndefined();
  });
});

describe('gitlab profile', () => {
  it('maps the OpenID Connect UserInfo response', () => {
    // https://docs.gitlab.com/integration/openid_connect_provider/ (shared information)
    expect(
      gitlabProfile({
        sub: '1',
        sub_legacy: '2ab1b4f3a0b1d4c5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9',
        name: 'Administrator',
        nickname: 'root',
        preferred_username: 'root',
        email: 'admin@example.com',
        email_verified: true,
        website: '',
        profile: 'https://gitlab.example.com/root',
        picture:
          'https://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon',
        groups: ['gitlab-org'],
      }),
    ).toEqual({
      sub: '1',
      name: 'Administrator',
      preferred_username: 'root',
      email: 'admin@example.com',
      email_verified: true,
      picture: 'https://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon',
      profile: 'https://gitlab.example.com/root',
    });
  });

  it('maps the REST /api/v4/user shape (confirmed_at says the email is verified)', () => {
    // https://docs.gitlab.com/api/users/ (for normal users, response example)
    const rest = {
      id: 1,
      username: 'john_smith',
      email: 'john@example.com',
      name: 'John Smith',
      state: 'active',
      avatar_url: 'http://localhost:3000/uploads/user/avatar/1/index.jpg',
      web_url: 'http://localhost:3000/john_smith',
      confirmed_at: '2012-05-23T09:05:22Z',
    };
    expect(gitlabProfile(rest)).toEqual({
      sub: '1',
      name: 'John Smith',
      preferred_username: 'john_smith',
      email: 'john@example.com',
      email_verified: true,
      picture: 'http://localhost:3000/uploads/user/avatar/1/index.jpg',
      profile: 'http://localhost:3000/john_smith',
    });
    expect(gitlabProfile({ ...rest, confirmed_at: null }).email_verified).toBe(false);
  });
});

describe('discord profile', () => {
  // https://discord.com/developers/docs/resources/user#user-object (example user)
  const nelly = {
    id: '80351110224678912',
    username: 'Nelly',
    discriminator: '1337',
    avatar: '8342729096ea3675442027381ff50dfe',
    verified: true,
    email: 'nelly@discord.com',
    flags: 64,
    banner: '06c16474723fe537c283b8efa61a30c8',
    accent_color: 16711680,
    premium_type: 1,
    public_flags: 64,
  };

  it('maps the documented user (legacy tag, custom avatar)', () => {
    expect(discordProfile(nelly)).toEqual({
      sub: '80351110224678912',
      name: 'Nelly',
      preferred_username: 'Nelly#1337',
      email: 'nelly@discord.com',
      email_verified: true,
      picture:
        'https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png',
    });
  });

  it('uses the display name, animated avatars and the default avatars Discord picks', () => {
    const migrated = { ...nelly, discriminator: '0', global_name: 'Nelly B.', avatar: 'a_1269e7' };
    expect(discordProfile(migrated)).toMatchObject({
      name: 'Nelly B.',
      preferred_username: 'Nelly',
      picture: 'https://cdn.discordapp.com/avatars/80351110224678912/a_1269e7.gif',
    });
    // New usernames: (id >> 22) % 6; legacy tags: discriminator % 5.
    expect(discordProfile({ ...migrated, avatar: null }).picture).toBe(
      'https://cdn.discordapp.com/embed/avatars/5.png',
    );
    expect(discordProfile({ ...nelly, avatar: null }).picture).toBe(
      'https://cdn.discordapp.com/embed/avatars/2.png',
    );
  });

  it('does not let an avatar hash inject a path, and drops an unverified flag without email', () => {
    const claims = discordProfile({ ...nelly, avatar: '../../evil', email: null });
    expect(claims.picture).toBe('https://cdn.discordapp.com/embed/avatars/2.png');
    expect(claims.email).toBeUndefined();
    expect(claims.email_verified).toBeUndefined();
  });
});

describe('twitter (OAuth 1.0a) profile', () => {
  it('reads id_str, never the imprecise numeric id', () => {
    // account/verify_credentials example, with an id above 2^53.
    const claims = twitterProfile({
      id: 1234567890123456800,
      id_str: '1234567890123456789',
      name: 'Twitter Dev',
      screen_name: 'TwitterDev',
      profile_image_url_https:
        'https://pbs.twimg.com/profile_images/1445764922474827784/W2zEPN7U_normal.jpg',
      email: 'dev@example.com',
    });
    expect(claims).toEqual({
      sub: '1234567890123456789',
      name: 'Twitter Dev',
      preferred_username: 'TwitterDev',
      email: 'dev@example.com',
      email_verified: true,
      picture: 'https://pbs.twimg.com/profile_images/1445764922474827784/W2zEPN7U_normal.jpg',
      profile: 'https://x.com/TwitterDev',
    });
  });

  it('refuses a profile with only the numeric id', () => {
    expect(() => twitterProfile({ id: 2244994945, screen_name: 'TwitterDev' })).toThrow(
      InvalidResponseError,
    );
  });
});

describe('x (OAuth 2) profile', () => {
  // https://docs.x.com/x-api/users/get-my-user (response example)
  const me = {
    data: {
      id: '2244994945',
      name: 'X Dev',
      username: 'TwitterDev',
      profile_image_url:
        'https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_normal.jpg',
    },
  };

  it('unwraps data and maps it', () => {
    expect(xProfile(me)).toEqual({
      sub: '2244994945',
      name: 'X Dev',
      preferred_username: 'TwitterDev',
      picture: 'https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_normal.jpg',
      profile: 'https://x.com/TwitterDev',
    });
    expect(xProfile(me.data).sub).toBe('2244994945');
  });

  it('reads confirmed_email as a verified address', () => {
    const claims = xProfile({ data: { ...me.data, confirmed_email: 'dev@x.example' } });
    expect(claims).toMatchObject({ email: 'dev@x.example', email_verified: true });
  });

  it('refuses an errors-only answer', () => {
    expect(() => xProfile({ errors: [{ title: 'Unauthorized' }] } as never)).toThrow(
      InvalidResponseError,
    );
  });
});

describe('facebook profile', () => {
  const jane = {
    id: '10224562355542137',
    name: 'Jane Doe',
    first_name: 'Jane',
    last_name: 'Doe',
    email: 'jane@example.com',
    picture: {
      data: {
        height: 200,
        is_silhouette: false,
        url: 'https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10224562355542137',
        width: 200,
      },
    },
  };

  it('maps a Graph API user and reads the nested picture', () => {
    expect(facebookProfile(jane)).toEqual({
      sub: '10224562355542137',
      name: 'Jane Doe',
      given_name: 'Jane',
      family_name: 'Doe',
      email: 'jane@example.com',
      picture: 'https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10224562355542137',
    });
  });

  it('drops the silhouette, and survives a malformed picture', () => {
    const silhouette = {
      ...jane,
      picture: { data: { ...jane.picture.data, is_silhouette: true } },
    };
    expect(facebookProfile(silhouette).picture).toBeUndefined();
    expect(facebookProfile({ ...jane, picture: 'nope' }).picture).toBeUndefined();
    expect(facebookProfile({ ...jane, picture: { data: null } }).picture).toBeUndefined();
  });
});

describe('linkedin profile', () => {
  // https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
  const member = {
    sub: '782bbtaQ',
    name: 'John Doe',
    given_name: 'John',
    family_name: 'Doe',
    picture:
      'https://media.licdn-ei.com/dms/image/C5F03AQHqK8v7tB1HCQ/profile-displayphoto-shrink_100_100/0/',
    locale: 'en-US',
    email: 'doe@email.com',
    email_verified: true,
  };

  it('maps the documented UserInfo response', () => {
    expect(linkedinProfile(member)).toEqual(member);
  });

  it('turns the object locale LinkedIn actually sends into a tag', () => {
    expect(linkedinProfile({ ...member, locale: { country: 'US', language: 'en' } }).locale).toBe(
      'en-US',
    );
    expect(linkedinProfile({ ...member, locale: { country: 'US' } }).locale).toBeUndefined();
  });
});

describe('apple profile', () => {
  it('maps the ID token claims, with string booleans', () => {
    const claims = appleProfile({
      iss: 'https://appleid.apple.com',
      aud: 'com.example.web',
      exp: 1700003600,
      iat: 1700000000,
      sub: '001234.5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d.1234',
      c_hash: 'fTl0KVc0L6mEN3XB4Z6uXw',
      email: 'x7q2z9w8@privaterelay.appleid.com',
      email_verified: 'true',
      is_private_email: 'true',
      auth_time: 1700000000,
      nonce_supported: true,
    });
    expect(claims).toEqual({
      sub: '001234.5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d.1234',
      email: 'x7q2z9w8@privaterelay.appleid.com',
      email_verified: true,
      is_private_email: true,
    });
  });
});

describe('generic oidc profile', () => {
  it('keeps the standard claims and drops the protocol ones', () => {
    const claims = oidcProfile({
      iss: 'https://sso.example.com',
      aud: 'app',
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'abc',
      sub: '248289761001',
      name: 'Jane Doe',
      preferred_username: 'j.doe',
      email: 'janedoe@example.com',
      email_verified: 'false',
      picture: 'http://example.com/janedoe/me.jpg',
      address: { country: 'FR' },
      updated_at: 1311280970,
    });
    expect(claims).toEqual({
      sub: '248289761001',
      name: 'Jane Doe',
      preferred_username: 'j.doe',
      email: 'janedoe@example.com',
      email_verified: false,
      picture: 'http://example.com/janedoe/me.jpg',
      address: { country: 'FR' },
      updated_at: 1311280970,
    });
  });
});

describe('hostile profiles', () => {
  const mappers = {
    apple: appleProfile,
    discord: discordProfile,
    facebook: facebookProfile,
    gitlab: gitlabProfile,
    google: googleProfile,
    linkedin: linkedinProfile,
    microsoft: microsoftProfile,
    oidc: oidcProfile,
    twitter: twitterProfile,
    x: xProfile,
  };

  it.each(Object.entries(mappers))('%s refuses non-objects and id-less objects', (_name, map) => {
    for (const bad of [null, undefined, 'user', 42, ['sub'], {}, { sub: {}, id: [], id_str: 7 }]) {
      let caught: unknown;
      try {
        map(bad as never);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidResponseError);
      expect((caught as InvalidResponseError).error).toBe('invalid_response');
    }
  });

  it('github refuses them too (async)', async () => {
    await expect(githubProfile(null as never)).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(githubProfile({ login: 'x' })).rejects.toThrow(
      'invalid response from https://api.github.com/user: the profile has no user id',
    );
  });
});
