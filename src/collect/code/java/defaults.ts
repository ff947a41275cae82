/**
 * Defaults of the servlet containers for the session cookie (JSESSIONID), which Spring Boot leaves to
 * the container when server.servlet.session.cookie.* is not set (Spring Boot's Session.Cookie fields
 * are null by default and only non-null values are applied to the container's SessionCookieConfig).
 *
 * - Secure: Tomcat and Jetty both mark the session cookie Secure when the request is secure
 *   (Tomcat: org.apache.catalina.core.ApplicationSessionCookieConfig.createSessionCookie sets Secure
 *   when `request.isSecure()`; Jetty 9.4: SessionHandler `_secureRequestOnly = true`, so
 *   getSessionCookie() sets Secure when `request.isSecure()`). Behind a TLS-terminating proxy the
 *   request is secure only when the container trusts X-Forwarded-Proto (Spring Boot
 *   server.forward-headers-strategy=native|framework, Tomcat RemoteIpValve, Jetty
 *   ForwardedRequestCustomizer). Confirmed for Jetty 9.4.57 by the truth matrix (test/frameworks).
 * - HttpOnly: Tomcat's Context `useHttpOnly` defaults to true (Tomcat 7+, configuration reference
 *   "The Context Container"); Jetty 9.4's SessionHandler `_httpOnly = false` (jetty-server
 *   SessionHandler.java; confirmed by the truth matrix: Jetty 9.4.57 sends `JSESSIONID=...; Path=/`);
 *   Undertow is not checked here (unresolved).
 * - SameSite: none (Tomcat's CookieProcessor sameSiteCookies defaults to "unset"; Jetty 9.4 writes none).
 * - Name JSESSIONID, path = the context path, no Max-Age (a browser-session cookie).
 * - Tracking modes: containers enable COOKIE and URL by default (Servlet spec 7.1); only an explicit
 *   URL mode is reported (a default container rewrites URLs only for clients that refuse cookies).
 * - Spring Boot detects Cloud Foundry, Heroku, Kubernetes ... (CloudPlatform.isUsingForwardHeaders)
 *   and then uses forward-headers-strategy NATIVE by default (spring-boot issues #19333, #36564).
 */
export type Container = 'tomcat' | 'jetty' | 'undertow';

export const SESSION_COOKIE_NAME = 'JSESSIONID';

export const CONTAINER_VERSIONS: Record<Container, string> = {
  tomcat: '7+',
  jetty: '9.4',
  undertow: 'unknown',
};

/** HttpOnly of the session cookie by container; null: not known. */
export const CONTAINER_HTTPONLY: Record<Container, boolean | null> = {
  tomcat: true,
  jetty: false,
  undertow: null,
};

export const CONTAINER_LABEL: Record<Container, string> = {
  tomcat: 'Tomcat',
  jetty: 'Jetty',
  undertow: 'Undertow',
};
