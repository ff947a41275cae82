import { loginSuite } from './suite.js';

const base = {
  app: 'express' as const,
  loginPath: '/login',
  accountPath: '/account',
  userField: 'username',
  passwordField: 'password',
  sessionCookie: 'connect.sid',
};

loginSuite([
  {
    ...base,
    name: 'express-session without regenerate (session fixation)',
    fixation: true,
    wrongPassword: /login failed: .* answered HTTP 401 to the login/,
  },
  { ...base, name: 'express-session with req.session.regenerate', env: { REGENERATE: '1' }, fixation: false },
]);
