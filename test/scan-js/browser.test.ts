import { code, runTable } from './harness.js';

const fd = 'framework-default';

runTable('browser-side cookies', {
  valid: [
    {
      name: 'document.cookie with Secure and SameSite (HttpOnly is impossible from script and not asked for)',
      file: 'public/app.js',
      code: code`
        document.cookie = 'theme=dark; path=/; Secure; SameSite=Lax';
        document.cookie = \`sid=\${id}; Secure; SameSite=None; max-age=3600\`;
      `,
      cookies: [
        {
          name: 'theme',
          setBy: 'script',
          framework: 'browser-js',
          secure: { value: true, provenance: 'explicit', line: 1, column: 19 },
          httpOnly: { value: false, provenance: fd },
        },
        { name: 'sid', secure: true, sameSite: 'none', lifetime: { kind: 'persistent', seconds: 3600 } },
      ],
    },
    {
      name: 'js-cookie with secure and sameSite',
      file: 'src/main.js',
      code: code`
        import Cookies from 'js-cookie';
        Cookies.set('token', t, { secure: true, sameSite: 'strict', expires: 7 });
      `,
      cookies: [{ name: 'token', setBy: 'script', lifetime: { kind: 'persistent', seconds: 604800 } }],
    },
    {
      name: 'ngx-cookie-service: sameSite None forces Secure',
      file: 'src/app/auth.service.ts',
      code: code`
        import { Injectable } from '@angular/core';
        import { CookieService } from 'ngx-cookie-service';
        @Injectable()
        export class AuthService {
          constructor(private cookieService: CookieService) {}
          save(t: string) { this.cookieService.set('token', t, { sameSite: 'None', path: '/' }); }
        }
      `,
      cookies: [{ name: 'token', secure: { value: true }, sameSite: 'none' }],
    },
    {
      name: 'a string that merely contains document.cookie code',
      file: 'src/doc.js',
      code: code`
        const snippet = "document.cookie = 'sid=1'";
        // document.cookie = 'sid=1';
      `,
      cookies: [],
    },
    {
      name: 'reading document.cookie is not setting it',
      file: 'src/read.js',
      code: code`
        const all = document.cookie.split('; ');
        if (document.cookie === '') console.log('no cookies');
      `,
      cookies: [],
    },
  ],
  invalid: [
    {
      name: 'document.cookie without Secure',
      file: 'public/app.js',
      code: code`
        function login(token) {
          document.cookie = 'auth_token=' + token + '; path=/';
        }
      `,
      cookies: [
        {
          name: 'auth_token',
          setBy: 'script',
          line: 2,
          column: 3,
          secure: { value: false, provenance: 'explicit', line: 2, column: 21 },
          category: 'session',
        },
      ],
    },
    {
      name: 'js-cookie without Secure and a global Cookies from a <script> tag',
      file: 'public/legacy.js',
      code: code`
        Cookies.set('session', id, { sameSite: 'none' });
      `,
      cookies: [
        {
          name: 'session',
          secure: { value: false, provenance: fd },
          sameSite: { value: 'none', provenance: 'explicit' },
        },
      ],
    },
    {
      name: 'universal-cookie and react-cookie setters',
      file: 'src/App.jsx',
      code: code`
        import Cookies from 'universal-cookie';
        import { useCookies } from 'react-cookie';
        const cookies = new Cookies();
        cookies.set('jwt', token, { path: '/' });
        export function App() {
          const [values, setCookie] = useCookies(['pref']);
          setCookie('pref', 'x', { secure: true });
          return <div />;
        }
      `,
      cookies: [
        { name: 'jwt', setBy: 'script', secure: { value: false, provenance: fd } },
        { name: 'pref', secure: true },
      ],
    },
    {
      name: 'ngx-cookie-service positional arguments',
      file: 'src/app/app.component.ts',
      code: code`
        import { Component, inject } from '@angular/core';
        import { CookieService } from 'ngx-cookie-service';
        export class AppComponent {
          private cookies = inject(CookieService);
          remember(t: string) { this.cookies.set('remember_token', t, 30, '/', undefined, false, 'Lax'); }
        }
      `,
      cookies: [
        {
          name: 'remember_token',
          secure: { value: false, provenance: 'explicit', line: 5 },
          sameSite: 'lax',
          lifetime: { kind: 'persistent', seconds: 2592000 },
        },
      ],
    },
  ],
});
