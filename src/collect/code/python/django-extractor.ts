/**
 * Django facts of one file beyond its settings (see settings-extractor.ts): which settings module
 * manage.py / wsgi.py / asgi.py select (`os.environ.setdefault('DJANGO_SETTINGS_MODULE', ...)`),
 * and whether the language cookie can be set (`django.conf.urls.i18n` / the `set_language` view,
 * django/views/i18n.py, the only place Django sets LANGUAGE_COOKIE_NAME).
 */
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { callArgs, stringValue } from './expr.js';
import { fact } from './facts.js';
import { pyFileOf } from './module.js';
import { evidenceOf } from './parse.js';

export function extractDjango(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  const out: CodeFact[] = [];
  const via = file.file.split('/').pop() ?? file.file;
  for (const node of [...py.index.ordered, ...py.index.strings]) {
    const kind = node.kind();
    if (kind === 'call') {
      const q = py.qualified(node.field('function'));
      if (q !== 'os.environ.setdefault') continue;
      const args = callArgs(node);
      if (stringValue(args.positional[0]) !== 'DJANGO_SETTINGS_MODULE') continue;
      const module = py.stringAt(args.positional[1]);
      if (module)
        out.push(
          fact('django-settings-ref', { module, via, overridable: true }, py.loc(node), evidenceOf(node)),
        );
    } else if (kind === 'assignment') {
      const left = node.field('left');
      if (left?.kind() !== 'subscript') continue;
      if (py.qualified(left.field('value')) !== 'os.environ') continue;
      if (stringValue(left.field('subscript')) !== 'DJANGO_SETTINGS_MODULE') continue;
      const module = py.stringAt(node.field('right'));
      if (module)
        out.push(
          fact('django-settings-ref', { module, via, overridable: false }, py.loc(node), evidenceOf(node)),
        );
    } else if (stringValue(node) === 'django.conf.urls.i18n') {
      out.push(
        fact(
          'django-i18n',
          { what: "include('django.conf.urls.i18n')", location: py.loc(node) },
          py.loc(node),
          evidenceOf(node),
        ),
      );
    }
  }
  for (const [local, target] of py.imports.names) {
    if (target === 'django.views.i18n.set_language') {
      const at = py.root.find({ rule: { kind: 'identifier', regex: `^${local}$` } });
      if (at)
        out.push(
          fact('django-i18n', { what: 'the set_language view', location: py.loc(at) }, py.loc(at), local),
        );
    }
  }
  return out;
}

export const djangoExtractor: Extractor = {
  name: 'django',
  files: ['**/*.py'],
  keywords: ['DJANGO_SETTINGS_MODULE', 'django.conf.urls.i18n', 'set_language'],
  extract: extractDjango,
};
