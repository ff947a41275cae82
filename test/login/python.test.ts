import { loginSuite } from './suite.js';

loginSuite([
  {
    name: "Django's admin login (csrfmiddlewaretoken; login() cycles the session key)",
    app: 'django',
    loginPath: '/admin/login/',
    accountPath: '/admin/',
    userField: 'username',
    passwordField: 'password',
    sessionCookie: 'sessionid',
    fixation: false,
    wrongPassword: /login failed: the login form came back/,
  },
  {
    name: 'Flask-Login + Flask-WTF (CSRF token in the signed session cookie)',
    app: 'flask',
    loginPath: '/login',
    accountPath: '/account',
    userField: 'username',
    passwordField: 'password',
    sessionCookie: 'session',
    fixation: false,
    wrongPassword: /login failed: the login form came back/,
  },
]);
