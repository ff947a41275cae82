import { code, runTable } from './harness.js';

const fd = 'framework-default';

runTable('Next.js cookies()', {
  valid: [
    {
      file: 'app/api/login/route.ts',
      code: code`
        import { cookies } from 'next/headers';
        export async function POST() {
          (await cookies()).set('session', token, { httpOnly: true, secure: true, sameSite: 'lax' });
        }
      `,
      cookies: [{ name: 'session', framework: 'next', secure: { value: true, provenance: 'explicit' } }],
    },
    {
      name: 'object form and a cookie store variable',
      file: 'app/actions.ts',
      code: code`
        'use server';
        import { cookies } from 'next/headers';
        export async function save() {
          const store = await cookies();
          store.set({ name: 'theme', value: 'dark', secure: true, path: '/' });
        }
      `,
      cookies: [{ name: 'theme', secure: true, httpOnly: { value: false, provenance: fd } }],
    },
    {
      name: 'deleting through set with maxAge 0',
      file: 'app/logout/route.ts',
      code: code`
        import { NextResponse } from 'next/server';
        export function GET() {
          const res = NextResponse.redirect('/');
          res.cookies.set('session', '', { maxAge: 0 });
          return res;
        }
      `,
      cookies: [{ name: 'session', deletion: true }],
    },
  ],
  invalid: [
    {
      name: 'cookies().set without Secure (Next.js has no Secure default)',
      file: 'app/api/login/route.ts',
      code: code`
        import { cookies } from 'next/headers';
        export async function POST(request: Request) {
          const cookieStore = await cookies();
          cookieStore.set('session', token, { httpOnly: true, sameSite: 'lax' });
        }
      `,
      cookies: [
        {
          name: 'session',
          line: 4,
          column: 3,
          secure: { value: false, provenance: fd, line: 4, column: 3 },
          category: 'session',
        },
      ],
    },
    {
      name: 'NextResponse cookies with env-dependent Secure',
      file: 'middleware.ts',
      code: code`
        import { NextResponse } from 'next/server';
        export function middleware(request) {
          const response = NextResponse.next();
          response.cookies.set('auth-token', jwt, { httpOnly: true, secure: process.env.NODE_ENV === 'production' });
          return response;
        }
      `,
      cookies: [{ name: 'auth-token', secure: { perEnvironment: { production: true, development: false } } }],
    },
  ],
});

runTable('NextAuth / Auth.js', {
  valid: [
    {
      name: 'defaults follow the site URL: no finding',
      file: 'app/api/auth/[...nextauth]/route.ts',
      code: code`
        import NextAuth from 'next-auth';
        import GitHub from 'next-auth/providers/github';
        const handler = NextAuth({ providers: [GitHub] });
        export { handler as GET, handler as POST };
      `,
      cookies: [
        {
          name: 'next-auth.session-token',
          framework: 'next-auth',
          secure: { value: 'auto', provenance: fd },
          httpOnly: true,
        },
      ],
    },
    {
      name: 'options imported from another file are judged where they are declared',
      file: 'app/api/auth/[...nextauth]/route.ts',
      code: code`
        import NextAuth from 'next-auth';
        import { authOptions } from '@/lib/auth';
        const handler = NextAuth(authOptions);
        export { handler as GET, handler as POST };
      `,
      cookies: [],
    },
  ],
  invalid: [
    {
      name: 'useSecureCookies: false in a typed options object (another file)',
      file: 'lib/auth.ts',
      code: code`
        import type { NextAuthOptions } from 'next-auth';
        export const authOptions: NextAuthOptions = {
          providers: [],
          useSecureCookies: false,
        };
      `,
      cookies: [
        {
          name: 'next-auth.session-token',
          line: 2,
          secure: { value: false, provenance: 'explicit', line: 4, column: 3 },
        },
      ],
    },
    {
      name: 'Auth.js v5 (destructured handlers): env-dependent useSecureCookies',
      file: 'auth.ts',
      code: code`
        import NextAuth from 'next-auth';
        export const { handlers, auth, signIn } = NextAuth({
          providers: [],
          useSecureCookies: process.env.NODE_ENV === 'production',
        });
      `,
      cookies: [
        {
          name: '__Secure-authjs.session-token',
          secure: { perEnvironment: { production: true, development: false } },
        },
      ],
    },
    {
      name: 'a custom session token cookie without HttpOnly',
      file: 'auth.config.ts',
      code: code`
        import type { NextAuthConfig } from 'next-auth';
        export default {
          providers: [],
          cookies: { sessionToken: { name: 'my-session', options: { httpOnly: false, sameSite: 'lax', path: '/', secure: true } } },
        } satisfies NextAuthConfig;
      `,
      cookies: [
        { name: 'my-session', httpOnly: { value: false, provenance: 'explicit', line: 4 }, secure: true },
      ],
    },
  ],
});

runTable('iron-session', {
  valid: [
    {
      name: 'defaults are Secure, HttpOnly, SameSite=Lax',
      file: 'lib/session.ts',
      code: code`
        import { getIronSession, type SessionOptions } from 'iron-session';
        import { cookies } from 'next/headers';
        export const sessionOptions: SessionOptions = { password: process.env.SECRET!, cookieName: 'myapp_session' };
        export const getSession = async () => getIronSession<Data>(await cookies(), sessionOptions);
      `,
      cookies: [
        {
          name: 'myapp_session',
          framework: 'iron-session',
          secure: { value: true, provenance: fd },
          httpOnly: { value: true, provenance: fd },
          sameSite: { value: 'lax', provenance: fd },
          lifetime: { kind: 'persistent', seconds: 1209540 },
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'cookieOptions.secure: false',
      file: 'pages/api/login.js',
      code: code`
        import { getIronSession } from 'iron-session';
        export default async function handler(req, res) {
          const session = await getIronSession(req, res, { password: p, cookieName: 'sess', cookieOptions: { secure: false } });
        }
      `,
      cookies: [{ name: 'sess', secure: { value: false, provenance: 'explicit', line: 3 } }],
    },
    {
      name: 'iron-session/next (v6) with env-dependent secure',
      file: 'lib/withSession.ts',
      code: code`
        import { withIronSessionApiRoute } from 'iron-session/next';
        export const withSession = (h) =>
          withIronSessionApiRoute(h, {
            cookieName: 'app_cookie',
            password: process.env.SECRET_COOKIE_PASSWORD,
            cookieOptions: { secure: process.env.NODE_ENV === 'production' },
          });
      `,
      cookies: [
        { name: 'app_cookie', secure: { perEnvironment: { production: true, development: false }, line: 6 } },
      ],
    },
  ],
});

runTable('Hono', {
  valid: [
    {
      name: "prefix: 'host' forces Secure and Path=/",
      file: 'src/index.ts',
      code: code`
        import { Hono } from 'hono';
        import { setCookie } from 'hono/cookie';
        const app = new Hono();
        app.post('/login', (c) => {
          setCookie(c, 'session', id, { httpOnly: true, sameSite: 'Lax', prefix: 'host' });
          return c.text('ok');
        });
      `,
      cookies: [
        {
          name: '__Host-session',
          prefix: '__Host-',
          secure: { value: true, provenance: 'explicit' },
          path: '/',
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'setCookie without Secure, and SameSite None without Secure',
      file: 'src/index.ts',
      code: code`
        import { Hono } from 'hono';
        import { setCookie, setSignedCookie } from 'hono/cookie';
        app.get('/', async (c) => {
          setCookie(c, 'session_id', id, { httpOnly: true });
          await setSignedCookie(c, 'pref', 'x', secret, { sameSite: 'None' });
        });
      `,
      cookies: [
        {
          name: 'session_id',
          framework: 'hono',
          line: 4,
          secure: { value: false, provenance: fd },
          path: { value: '/', provenance: fd },
        },
        { name: 'pref', sameSite: { value: 'none', provenance: 'explicit' }, secure: false },
      ],
    },
  ],
});
