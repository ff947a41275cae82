/** Building code cookie observations for the Python resolvers. */
import { classifyCookie } from '../../../cookies/classify.js';
import type {
  Attr,
  CodeLocation,
  CookieLifetime,
  CookieObservation,
  SameSiteValue,
  SecureValue,
} from '../../../model/observation.js';
import { prefixOf } from '../common/cookie.js';

export interface CookieInput {
  name: string;
  framework: string;
  secure: Attr<SecureValue>;
  httpOnly: Attr<boolean>;
  sameSite: Attr<SameSiteValue> & { raw?: string };
  domain?: Attr<string>;
  path?: Attr<string>;
  lifetime: CookieLifetime;
  location: CodeLocation;
  snippet?: string;
  inTestCode: boolean;
  deletion?: boolean;
  /** The value is a constant written in the code: classified as a flag, not a credential. */
  constantValue?: 'number' | 'boolean' | 'string';
  /** The call that wrote it (`set_cookie`, `header` ...): fix advice is then for that call. */
  api?: string;
}

export function cookieObservation(i: CookieInput): CookieObservation {
  const o: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name: i.name,
    secure: i.secure,
    httpOnly: i.httpOnly,
    sameSite: i.sameSite,
    lifetime: i.lifetime,
    prefix: prefixOf(i.name),
    classification: classifyCookie(i.name, undefined, {
      framework: i.framework,
      setBy: 'server',
      ...(i.constantValue ? { constantValue: i.constantValue } : {}),
    }),
    deletion: i.deletion ?? false,
    setBy: 'server',
    framework: i.framework,
    location: i.location,
    inTestCode: i.inTestCode,
  };
  if (i.domain) o.domain = i.domain;
  if (i.path) o.path = i.path;
  if (i.snippet) o.snippet = i.snippet;
  if (i.api) o.api = i.api;
  return o;
}
