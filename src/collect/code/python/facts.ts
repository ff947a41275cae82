/**
 * The facts the Python extractors hand to the Python resolvers (as CodeFact `other` entries whose
 * `data` is one of these, structured-clone safe). Keys are listed in FACT_KEYS.
 */
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, FileFacts, ProjectFacts } from '../types.js';
import type { EnvCast, PyExpr } from './expr.js';

/** A module-level assignment of an ALL_CAPS name (a Django setting, a Flask config module value). */
export interface SettingAssign {
  key: string;
  /** `set`: NAME = v; `add`: NAME += v / NAME.append(v) / .insert / .extend (v is a sequence). */
  op: 'set' | 'add';
  expr: PyExpr;
  /** The `if` blocks around the assignment, when any. */
  cond?: PyExpr;
  location: CodeLocation;
  /** Location of the value (the right-hand side). */
  valueLocation: CodeLocation;
  evidence: string;
  snippet: string;
}

export interface SettingsModuleData {
  module: string;
  starImports: { module: string; optional: boolean; location: CodeLocation }[];
  assigns: SettingAssign[];
}

/** A class with ALL_CAPS attributes (a Flask config class). */
export interface ConfigClassData {
  module: string;
  name: string;
  /** Absolute dotted references of the base classes. */
  bases: string[];
  attrs: SettingAssign[];
  location: CodeLocation;
}

/** `config = {'development': DevelopmentConfig, 'production': ProductionConfig}` */
export interface ConfigMapData {
  module: string;
  name: string;
  entries: { key: string; ref: string; location: CodeLocation }[];
  location: CodeLocation;
}

/** `os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')` */
export interface DjangoSettingsRefData {
  module: string;
  /** Basename of the file that names it: manage.py, wsgi.py, asgi.py ... */
  via: string;
  /** setdefault (overridable by the environment) or a plain assignment. */
  overridable: boolean;
  /** Named by a deployment file (Dockerfile ENV, Procfile, app.json): what production runs. */
  deployment?: boolean;
}

export type FlaskTarget =
  | { kind: 'ref'; ref: string }
  /** config[<selector>] where config is a mapping of names to config classes. */
  | { kind: 'select'; map: string; selector: PyExpr }
  /**
   * A parameter of the function around the call (`def create_app(config_class=Config):
   * app.config.from_object(config_class)`): its default runs unless a call passes something else.
   */
  | {
      kind: 'param';
      /** Qualified name of the function (`app.create_app`). */
      fn: string;
      name: string;
      /** Position among the positional parameters (-1 when keyword-only). */
      index: number;
      dflt: FlaskTarget | null;
    }
  | { kind: 'unknown'; text: string };

/** A call of an app factory (`create_app()`, `create_app(TestConfig)`), with what it passes. */
export interface FactoryCallData {
  /** Qualified callee (`app.create_app`); the bare name when it cannot be qualified. */
  callee: string;
  positional: FlaskTarget[];
  keywords: Record<string, FlaskTarget>;
  /** `*args` / `**kwargs`: anything may be passed. */
  splat: boolean;
  location: CodeLocation;
  evidence: string;
}

export type FlaskConfigOp =
  | { op: 'set'; key: string; expr: PyExpr; setdefault?: boolean }
  | { op: 'from_object'; target: FlaskTarget }
  | { op: 'from_pyfile'; path: string | null; silent: boolean }
  | { op: 'from_envvar'; variable: string | null }
  | { op: 'from_file'; path: string | null }
  | { op: 'from_prefixed_env'; prefix: string }
  /** **kwargs / a dict we cannot read: any key may be set. */
  | { op: 'opaque'; reason: string };

export interface FlaskConfigOpData {
  /** Text of the object whose `.config` is written (app, self.app ...). */
  receiver: string;
  order: number;
  cond?: PyExpr;
  item: FlaskConfigOp;
  location: CodeLocation;
  valueLocation?: CodeLocation;
  evidence: string;
  snippet: string;
}

export interface FlaskAppData {
  location: CodeLocation;
  evidence: string;
  snippet: string;
  /** The app is created inside this function (an app factory), by qualified name. */
  factory?: string;
  /**
   * Created through a class other than flask.Flask (`CTFdFlask(__name__)`): its qualified name.
   * The resolver keeps such an app only when the project defines that class as a Flask subclass.
   */
  viaClass?: string;
}

/** `class MyFlask(Flask):` — a project class whose instances are Flask apps. */
export interface FlaskSubclassData {
  /** Qualified name (`pkg.MyFlask`). */
  name: string;
  location: CodeLocation;
}

/** Signs that the Flask session is used: `from flask import session`, flask_login, flask_wtf ... */
export interface FlaskSessionUseData {
  what: string;
  location: CodeLocation;
  /** `session.permanent = True`: the cookie gets PERMANENT_SESSION_LIFETIME. */
  permanent?: boolean;
  evidence?: string;
}

export interface ProxyFixData {
  /** x_proto as written (ProxyFix's default is 1). */
  xProto: PyExpr | null;
  location: CodeLocation;
  evidence: string;
}

export interface FlaskLoginData {
  /** LoginManager() / login_manager.init_app(app) */
  kind: 'manager' | 'login_user';
  /** For login_user: the `remember` argument (null when not given: default False). */
  remember?: PyExpr | null;
  location: CodeLocation;
  evidence: string;
  snippet: string;
}

export interface KwArg {
  expr: PyExpr;
  location: CodeLocation;
  evidence: string;
}

export interface StarletteSessionData {
  via: 'add_middleware' | 'Middleware';
  kwargs: Record<string, KwArg>;
  splat: boolean;
  location: CodeLocation;
  evidence: string;
  snippet: string;
}

export interface SetCookieData {
  /** Framework the file imports from (null when none). */
  framework: 'flask' | 'django' | 'starlette' | null;
  /**
   * What wrote it: a response's set_cookie (default), a raw Set-Cookie header, a SimpleCookie
   * morsel or Werkzeug's dump_cookie. Only set_cookie has framework defaults; the others write just
   * the attributes given.
   */
  api?: 'set_cookie' | 'header' | 'SimpleCookie' | 'dump_cookie';
  receiver: string;
  args: Record<string, KwArg>;
  splat: boolean;
  location: CodeLocation;
  evidence: string;
  snippet: string;
}

/** One scalar field of a pydantic settings class (pydantic-extractor.ts). */
export interface PydanticFieldData {
  name: string;
  annotation: string;
  cast: EnvCast;
  /** The default (absent: the field is required). */
  dflt?: PyExpr;
  /** The environment variable an alias names (`Field(validation_alias='X')`, pydantic 1 `env='X'`). */
  env?: string;
  location: CodeLocation;
  evidence: string;
}

/** A class deriving from pydantic's BaseSettings, with its scalar fields. */
export interface PydanticSettingsData {
  /** Qualified name (`app.core.config.Settings`). */
  name: string;
  fields: PydanticFieldData[];
  /** env_prefix ('' when none), inherited from a settings class of the same file. */
  prefix: string;
  caseSensitive: boolean;
  /** The settings class of the same file it derives from, whose fields it inherits. */
  parent?: string;
  location: CodeLocation;
}

export interface DjangoI18nData {
  what: string;
  location: CodeLocation;
}

export interface FactDataByKey {
  'settings-module': SettingsModuleData;
  'config-class': ConfigClassData;
  'config-map': ConfigMapData;
  'django-settings-ref': DjangoSettingsRefData;
  'django-i18n': DjangoI18nData;
  'flask-app': FlaskAppData;
  'flask-config': FlaskConfigOpData;
  'flask-session-use': FlaskSessionUseData;
  'flask-login': FlaskLoginData;
  'factory-call': FactoryCallData;
  'flask-subclass': FlaskSubclassData;
  proxyfix: ProxyFixData;
  'starlette-session': StarletteSessionData;
  'set-cookie': SetCookieData;
  'pydantic-settings': PydanticSettingsData;
}

export type FactKey = keyof FactDataByKey;

/** Every Python fact is tagged with this framework id on the CodeFact (the `framework` tag of the data is separate). */
export const PY = 'python';

export function fact<K extends FactKey>(
  key: K,
  data: FactDataByKey[K],
  location: CodeLocation,
  evidence: string,
): CodeFact {
  return { type: 'other', framework: PY, key, data, location, evidence };
}

export interface Found<K extends FactKey> {
  file: FileFacts;
  data: FactDataByKey[K];
}

/** All facts of one key across the project, in file order. */
export function factsOf<K extends FactKey>(project: ProjectFacts, key: K): Found<K>[] {
  const out: Found<K>[] = [];
  for (const f of project.files) {
    for (const x of f.facts) {
      if (x.type === 'other' && x.framework === PY && x.key === key)
        out.push({ file: f, data: x.data as FactDataByKey[K] });
    }
  }
  return out;
}
