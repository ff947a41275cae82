// The cookieguard demo site: a small Express shop with the session-cookie mistakes that real
// projects make. `cookieguard demo` starts it on loopback over HTTPS and plain HTTP, scans this
// folder and checks its URLs. Do not copy this file into a real project.
import express from 'express';
import session from 'express-session';

const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000;

export function createApp() {
  const app = express();

  // Mistake 1: Secure only when NODE_ENV is 'production'. Anywhere else (staging, a forgotten
  // NODE_ENV on the server) the session cookie travels over plain HTTP. And there is no
  // `app.set('trust proxy', 1)`: behind a TLS-terminating proxy a Secure cookie is never set.
  app.use(
    session({
      secret: 'cookieguard-demo-not-a-real-secret',
      resave: false,
      saveUninitialized: true,
      cookie: { secure: process.env.NODE_ENV === 'production', sameSite: 'lax' },
    }),
  );

  app.get('/', (req, res) => {
    req.session.views = (req.session.views ?? 0) + 1;
    res
      .type('html')
      .send('<!doctype html><title>Demo shop</title><h1>Demo shop</h1><a href="/login">Log in</a>');
  });

  app.get('/login', (req, res) => {
    req.session.user = 'alice';
    // Mistake 2: a long-lived login token without Secure or HttpOnly.
    res.cookie('remember_token', 'rt-' + req.sessionID, { maxAge: THIRTY_DAYS });
    // Mistake 3: SameSite=None without Secure: browsers reject this cookie outright.
    res.cookie('ad_campaign', 'spring-sale', { sameSite: 'none' });
    // A preference cookie: low stakes, reported at low severity.
    res.cookie('theme', 'dark');
    // Mistake 4: the session id in the URL (it leaks through logs, history and Referer).
    res.redirect(302, `/account?sid=${encodeURIComponent(req.sessionID)}`);
  });

  app.get('/account', (req, res) => {
    res.type('html').send(`<!doctype html><title>Account</title><p>Hello ${req.session.user ?? 'guest'}</p>`);
  });

  return app;
}
