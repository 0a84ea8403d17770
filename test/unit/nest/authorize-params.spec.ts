import { BadRequestException } from '@nestjs/common';
import {
  checkAuthorizeParams,
  checkPassThrough,
  passThroughQuery,
} from '../../../lib/flow/authorize-params.js';
import { OAuthLoginGuard } from '../../../lib/guards/oauth-login.guard.js';

describe('per-login authorization parameters', () => {
  it.each([
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'client_id',
    'response_type',
    'response_mode',
    'redirect_uri',
    'request_uri',
  ])('refuses the library-owned %s from options, hooks and overrides', (key) => {
    expect(() => checkAuthorizeParams({ [key]: 'x' }, 'where')).toThrow(
      expect.objectContaining({ code: 'OAUTH_INVALID_AUTHORIZE_PARAMS' }),
    );
    expect(() => OAuthLoginGuard('op', { authorizeParams: { [key]: 'x' } })).toThrow(
      `${key} is set by the library`,
    );
  });

  it('checks redirectUri and max_age, drops undefined values', () => {
    expect(
      checkAuthorizeParams({ redirectUri: '/cb', max_age: 60, prompt: undefined }, 'w'),
    ).toEqual({
      redirectUri: '/cb',
      max_age: 60,
    });
    expect(() => checkAuthorizeParams({ redirectUri: '//evil.example/cb' }, 'w')).toThrow(
      'redirectUri',
    );
    expect(() => checkAuthorizeParams({ max_age: '1h' }, 'w')).toThrow('max_age');
    expect(() => checkAuthorizeParams({ prompt: { a: 1 } }, 'w')).toThrow('prompt must be');
  });

  it('passes through only allowed names; refuses others at start-up', () => {
    expect(() => checkPassThrough(['state'], 'OAuthLoginGuard("op") query')).toThrow(
      'state cannot be passed through',
    );
    expect(() => OAuthLoginGuard('op', { query: ['redirect_uri' as never] })).toThrow(TypeError);
    const query = new URLSearchParams('prompt=login&scope=openid&state=x&login_hint=a');
    expect(passThroughQuery(query, ['prompt', 'login_hint'])).toEqual({
      prompt: 'login',
      login_hint: 'a',
    });
    expect(passThroughQuery(query, [])).toEqual({});
  });

  it('refuses repeated, overlong, control-character and non-numeric max_age values with 400', () => {
    for (const bad of [
      'prompt=a&prompt=b',
      `prompt=${'x'.repeat(513)}`,
      'prompt=a%0Ab',
      'max_age=-1',
    ]) {
      expect(() => passThroughQuery(new URLSearchParams(bad), ['prompt', 'max_age'])).toThrow(
        BadRequestException,
      );
    }
  });

  it('returns the same guard class for the same arguments', () => {
    expect(OAuthLoginGuard('op')).toBe(OAuthLoginGuard('op'));
    expect(OAuthLoginGuard('op', { query: ['prompt'] })).toBe(
      OAuthLoginGuard('op', { query: ['prompt'] }),
    );
    expect(OAuthLoginGuard('op', { query: ['prompt'] })).not.toBe(OAuthLoginGuard('op'));
  });
});
