import { loginSuite } from './suite.js';

const base = {
  app: 'php' as const,
  loginPath: '/login.php',
  accountPath: '/account.php',
  userField: 'user',
  passwordField: 'pass',
  sessionCookie: 'PHPSESSID',
};

loginSuite([
  {
    ...base,
    name: 'PHP sessions without session_regenerate_id (session fixation)',
    fixation: true,
    wrongPassword: /login failed: the login form came back/,
  },
  {
    ...base,
    name: 'PHP sessions with session_regenerate_id(true)',
    env: { REGENERATE: '1' },
    fixation: false,
  },
]);
