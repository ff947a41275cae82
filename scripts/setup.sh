#!/usr/bin/env bash
# Sets up cookieguard in this checkout: npm dependencies and the build.
# With --test, also installs what the test suite needs from Debian when it is missing
# (php-cli, python3-flask, python3-django, python3-flask-login, python3-starlette, python3-flaskext.wtf, nginx, openssl, chromium, certutil, ripgrep;
# Java: openjdk-17-jdk-headless, jetty9, libservlet-api-java; Ruby: ruby-rails, ruby-webrick;
# Go: golang-go, golang-github-gorilla-sessions-dev).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--test" ]; then
  need=()
  command -v php >/dev/null 2>&1 || need+=(php-cli)
  /usr/bin/python3 -c 'import flask' >/dev/null 2>&1 || need+=(python3-flask)
  /usr/bin/python3 -c 'import django' >/dev/null 2>&1 || need+=(python3-django)
  /usr/bin/python3 -c 'import flask_login' >/dev/null 2>&1 || need+=(python3-flask-login)
  /usr/bin/python3 -c 'import starlette' >/dev/null 2>&1 || need+=(python3-starlette)
  # check --login tests (Flask-Login + Flask-WTF app)
  /usr/bin/python3 -c 'import flask_wtf' >/dev/null 2>&1 || need+=(python3-flaskext.wtf)
  [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
  command -v rg >/dev/null 2>&1 || need+=(ripgrep)
  # Java (issue 13): the servlet truth matrix compiles with javac and runs Jetty 9.4
  command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  [ -f /usr/share/java/jetty9-webapp.jar ] || need+=(jetty9)
  [ -f /usr/share/java/servlet-api.jar ] || need+=(libservlet-api-java)
  # Ruby on Rails / Rack truth matrix (issue 13)
  ruby -e 'require "rails"; require "action_controller/railtie"' >/dev/null 2>&1 || need+=(ruby-rails)
  ruby -e 'require "webrick"' >/dev/null 2>&1 || need+=(ruby-webrick)
  # i13-go: Go 1.19 and gorilla/sessions for the Go apps of the truth matrix (built offline, GOPATH mode)
  command -v go >/dev/null 2>&1 || need+=(golang-go)
  [ -d /usr/share/gocode/src/github.com/gorilla/sessions ] || need+=(golang-github-gorilla-sessions-dev)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing ${need[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    else
      echo "setup: missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
      exit 1
    fi
  fi
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
[ -f dist/src/cli/main.js ] || npm run build --silent
