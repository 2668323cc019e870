"""gcloud's --filter, --flatten, --limit and --format, for the subset the fake supports.

Everything outside the subset raises `Unsupported` (the fake exits 2 naming it), so a script
never silently gets a different answer from the fake than from gcloud.

Filters: terms `KEY OP VALUE` joined by ` AND `, OP one of `=`, `:`, `~`, `<=`, `>=`. VALUE is
unquoted (no whitespace, quotes or parentheses) or double-quoted with `\\"` and `\\\\` escapes.
The operators evaluate as gcloud 528's resource_expr does today, including its quirks:
`=` and `:` are case-insensitive and accent-insensitive; `=` matches the whole value or any
whole line of it; `:` is a substring match (`:*` is "present and not empty", `x*` a prefix);
`region=R` and `zone=Z` also match the last path segment of a URL; a list matches when any
element does; numbers compare as numbers; a missing key compares as the empty string.

Formats: `json`, `yaml`, `none`, and `value(KEY, ...)` whose keys may end in `.basename()`;
tab-separated, one line per resource, lists joined by `;`, dicts as `k=v;k2=v2`.

Keys: dotted paths of names (`[A-Za-z_][A-Za-z0-9_-]*`, or quoted with `"` or `'` for names
holding dots or slashes, such as annotation keys), each optionally followed by `[N]` or `[]`.
A name applied to a list applies to each element.
"""

import copy
import json
import re
import unicodedata

import miniyaml

__all__ = ['Unsupported', 'parse_key', 'get', 'Filter', 'Format', 'flatten', 'flatten_keys',
           'key_name']


class Unsupported(ValueError):
    """A filter, flatten, format or key outside the supported subset (or malformed)."""


_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_-]*')


def _quoted_name(text, i):
    quote = text[i]
    j = text.find(quote, i + 1)
    if j < 0:
        raise Unsupported(f'unterminated quoted key name in {text!r}')
    name = text[i + 1:j]
    if not name:
        raise Unsupported(f'empty quoted key name in {text!r}')
    return name, j + 1


def _parse_key_at(text, i):
    """Parses a key at text[i:]; returns (segments, end). A segment is a str (name), an int
    (index) or None (`[]`, every element)."""
    segments = []
    while True:
        if i < len(text) and text[i] in '"\'':
            name, i = _quoted_name(text, i)
        else:
            m = _NAME.match(text, i)
            if not m:
                raise Unsupported(f'expected a key name at {text[i:]!r} in {text!r}')
            name, i = m.group(), m.end()
        segments.append(name)
        while i < len(text) and text[i] == '[':
            j = text.find(']', i)
            if j < 0:
                raise Unsupported(f'unterminated [ in key {text!r}')
            inside = text[i + 1:j].strip()
            if inside == '':
                segments.append(None)
            elif re.fullmatch(r'-?[0-9]+', inside):
                segments.append(int(inside))
            else:
                raise Unsupported(f'unsupported subscript [{inside}] in key {text!r}')
            i = j + 1
        if i < len(text) and text[i] == '.' and not text.startswith('.basename()', i):
            i += 1
            continue
        return segments, i


def parse_key(text):
    """The segments of a whole key string."""
    segments, end = _parse_key_at(text.strip(), 0)
    if end != len(text.strip()):
        raise Unsupported(f'unexpected {text.strip()[end:]!r} in key {text!r}')
    return segments


def key_name(segments):
    out = []
    for s in segments:
        if s is None:
            out.append('[]')
        elif isinstance(s, int):
            out.append(f'[{s}]')
        else:
            name = s if _NAME.fullmatch(s) else json.dumps(s)
            out.append(('.' if out else '') + name)
    return ''.join(out)


def get(obj, segments):
    """The value at `segments` in `obj` (None when missing)."""
    value = obj
    for n, segment in enumerate(segments):
        if value is None:
            return None
        if segment is None:
            if not isinstance(value, list):
                return None
            rest = segments[n + 1:]
            return [get(item, rest) for item in value]
        if isinstance(segment, int):
            if not isinstance(value, list):
                return None
            try:
                value = value[segment]
            except IndexError:
                return None
            continue
        if isinstance(value, dict):
            value = value.get(segment)
        elif isinstance(value, list):
            rest = segments[n:]
            return [get(item, rest) for item in value]
        else:
            return None
    return value


# ---- Filters -----------------------------------------------------------------------------------

def _stringize(value):
    if value is None:
        return 'null'
    if isinstance(value, str):
        return value
    return repr(value)


def _normalize(value, html=False):
    """gcloud's NormalizeForSearch: lower case, HTML tags removed, accents stripped."""
    text = _stringize(value).lower()
    if html:
        text = re.sub('<[^>]*>', '', text)
    return ''.join(c for c in unicodedata.normalize('NFKD', text) if not unicodedata.combining(c))


def _numeric(value):
    if isinstance(value, (int, float)):
        return value
    try:
        return int(value)
    except ValueError:
        return float(value)


_FLAGS = re.IGNORECASE | re.MULTILINE | re.UNICODE


class _Term:
    def __init__(self, key, op, operand):
        self.key = key
        self.op = op
        self.operand = operand
        self.numeric_constant = False
        self.numeric_value = None
        lowered = operand.lower()
        if lowered in ('true', 'false'):
            self.numeric_value = 1 if lowered == 'true' else 0
            self.numeric_constant = True
        else:
            try:
                self.numeric_value = _numeric(operand)
            except ValueError:
                pass
        if op == '=':
            word = re.escape(_normalize(operand))
            self.standard = re.compile(r'\b' + word + r'\b', _FLAGS)
            self.deprecated = re.compile('^' + word + '$', _FLAGS)
        elif op == ':':
            self._has_patterns(operand)
        elif op == '~':
            _check_re2(operand)
            try:
                self.regex = re.compile(operand)
            except re.error as e:
                raise Unsupported(f'bad regular expression {operand!r}: {e}') from None

    def _has_patterns(self, pattern):
        if pattern == '*':
            self.standard = re.compile('.', _FLAGS)
            self.deprecated = None
            return
        head, glob, tail = r'\b', '', r'\b'
        normalized = _normalize(pattern)
        parts = normalized.split('*')
        if len(parts) > 2:
            raise Unsupported(f'at most one * is allowed in a : pattern: {pattern!r}')
        if normalized.endswith('*'):
            normalized = normalized[:-1]
            tail = ''
        self.standard = re.compile(head + re.escape(normalized) + tail, _FLAGS)
        if len(parts) == 1:
            parts.append('')
        elif pattern.startswith('*'):
            head = ''
        elif pattern.endswith('*'):
            tail = ''
        else:
            glob = '.*'
        left = re.escape(parts[0]) if parts[0] else ''
        right = re.escape(parts[1]) if parts[1] else ''
        if head and tail:
            deprecated = ('^' + left + glob + right + '$') if glob else (left + glob + right)
        elif head:
            deprecated = '^' + left + glob + right
        elif tail:
            deprecated = left + glob + right + '$'
        else:
            deprecated = None
        self.deprecated = re.compile(deprecated, _FLAGS) if deprecated else None

    # -- gcloud's _MatchOneWordInText and _WordMatch, for = and : --
    def _one_word(self, value):
        operand = self.operand
        if isinstance(value, (int, float)):
            try:
                if value == _numeric(operand):
                    return True
            except ValueError:
                pass
            if value == 0 and operand.lower() == 'false':
                return True
            if value == 1 and operand.lower() == 'true':
                return True
            text = re.sub(r'\.0*$', '', _stringize(value))
        elif value == operand:
            return True
        elif value is None:
            if operand == '':
                return True
            if operand == '*' and self.op == ':':
                return False
            text = 'null'
        else:
            text = _normalize(value, html=True)
        matched = bool(self.standard.search(text))
        if not self.deprecated:
            return matched
        deprecated = bool(self.deprecated.search(text))
        if len(self.key) == 1 and self.key[0] in ('zone', 'region'):
            deprecated |= bool(self.deprecated.search(text.split('/')[-1]))
        return deprecated

    def _word_match(self, value):
        if isinstance(value, dict):
            values = list(value.keys()) + list(value.values())
        elif isinstance(value, (list, tuple)):
            values = value
        else:
            values = [value]
        return any(self._one_word(v) for v in values)

    def _apply(self, value, operand):
        if self.op in ('=', ':'):
            return self._word_match(value)
        if self.op == '<=':
            return value <= operand
        if self.op == '>=':
            return value >= operand
        if self.op == '~':
            if not isinstance(value, str):
                raise TypeError('RE match subject value must be a string.')
            return self.regex.search(value) is not None
        raise AssertionError(self.op)

    def evaluate(self, resource):
        value = get(resource, self.key)
        values = value if (value and isinstance(value, list)) else [value]
        for value in values:
            if self.numeric_value is not None:
                try:
                    if self._apply(_numeric(value), self.numeric_value):
                        return True
                    if not self.numeric_constant:
                        continue
                except (TypeError, ValueError):
                    pass
            try:
                if self._apply(value, self.operand):
                    return True
            except (AttributeError, ValueError):
                pass
            except TypeError:
                if (value is not None and not isinstance(value, (str, dict, list))
                        and self._apply(_stringize(value), self.operand)):
                    return True
                if value is None and self._apply('', self.operand):
                    return True
        return False


_RE2_UNSUPPORTED = re.compile(r'\(\?[=!]|\(\?<[=!]|\(\?P=|\\[1-9]|\(\?\(')


def _check_re2(pattern):
    if _RE2_UNSUPPORTED.search(pattern):
        raise Unsupported(f'regular expression {pattern!r} is not RE2-compatible (lookaround '
                          'and backreferences are not supported)')


_OPERATORS = ('<=', '>=', '=', ':', '~')
_UNSUPPORTED_OPERATORS = ('!=', '!~', '<', '>')


def _parse_value(text, i):
    if i < len(text) and text[i] == '"':
        out = []
        i += 1
        while i < len(text):
            c = text[i]
            if c == '\\':
                if i + 1 < len(text) and text[i + 1] in '"\\':
                    out.append(text[i + 1])
                    i += 2
                    continue
                raise Unsupported(f'unsupported escape {text[i:i + 2]!r} in a quoted filter value '
                                  '(only \\" and \\\\)')
            if c == '"':
                return ''.join(out), i + 1
            out.append(c)
            i += 1
        raise Unsupported(f'unterminated quoted value in filter {text!r}')
    if i < len(text) and text[i] == "'":
        raise Unsupported('single-quoted filter values are not supported; use double quotes')
    start = i
    while i < len(text) and not text[i].isspace():
        if text[i] in '()':
            raise Unsupported(f'unquoted filter value contains {text[i]!r}: gcloud reads '
                              'parentheses in an unquoted value as a transform call or a list, '
                              f'so such a filter silently matches nothing or something else '
                              f'there; quote the value: {text!r}')
        if text[i] in '"\'':
            raise Unsupported(f'unquoted filter value contains {text[i]!r}; quote the value: '
                              f'{text!r}')
        i += 1
    if i == start:
        raise Unsupported(f'a filter term has no value (write "" for the empty string): {text!r}')
    return text[start:i], i


class Filter:
    """A parsed --filter expression."""

    def __init__(self, expression):
        self.expression = expression
        self.terms = []
        text = expression
        i = 0
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                if not self.terms:
                    raise Unsupported('empty filter')
                raise Unsupported(f'filter {expression!r} ends after AND')
            if text.startswith(('NOT ', '-', '('), i) or text.startswith('OR ', i):
                raise Unsupported(f'unsupported filter syntax at {text[i:]!r} (only KEY OP VALUE '
                                  'terms joined by AND)')
            key, i = _parse_key_at(text, i)
            for op in _UNSUPPORTED_OPERATORS:
                if text.startswith(op, i) and not text.startswith(('<=', '>='), i):
                    raise Unsupported(f'unsupported filter operator {op!r} in {expression!r} '
                                      '(supported: = : ~ <= >=)')
            op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
            if op is None:
                raise Unsupported(f'expected an operator (= : ~ <= >=) at {text[i:]!r} in '
                                  f'filter {expression!r}')
            i += len(op)
            if i < len(text) and text[i].isspace():
                raise Unsupported(f'whitespace after the operator in filter {expression!r}')
            value, i = _parse_value(text, i)
            self.terms.append(_Term(key, op, value))
            if i >= len(text) or text[i:].strip() == '':
                return
            m = re.compile(r'\s+AND\s+').match(text, i)
            if not m:
                raise Unsupported(f'unsupported filter syntax at {text[i:].strip()!r} in '
                                  f'{expression!r} (only KEY OP VALUE terms joined by AND)')
            i = m.end()

    def matches(self, resource):
        return all(term.evaluate(resource) for term in self.terms)


# ---- Flatten -----------------------------------------------------------------------------------

def flatten_keys(expression):
    """The flatten keys of a --flatten value (`a[].b[]`, comma-separated): every prefix that
    ends in `[]`, as gcloud adds one flattener per `[]`."""
    keys = []
    for part in expression.split(','):
        part = part.strip()
        if not part:
            raise Unsupported(f'empty key in --flatten={expression!r}')
        segments = parse_key(part)
        if segments[-1] is not None:
            segments = segments + [None]
        prefix = []
        for s in segments:
            if s is None:
                if not prefix:
                    raise Unsupported(f'bad --flatten key {part!r}')
                keys.append(list(prefix))
            elif isinstance(s, int):
                raise Unsupported(f'indexes are not supported in --flatten: {part!r}')
            else:
                prefix.append(s)
    return keys


def flatten(resources, keys):
    """gcloud's Flattener taps: one resource per element of each flattened list."""
    for key in keys:
        out = []
        for resource in resources:
            items = get(resource, key)
            if not isinstance(items, list):
                out.append(items)
                continue
            for item in items:
                copy_ = copy.deepcopy(resource)
                parent = get(copy_, key[:-1]) if len(key) > 1 else copy_
                parent[key[-1]] = item
                out.append(copy_)
        resources = out
    return resources


# ---- Formats -----------------------------------------------------------------------------------

class Format:
    """A parsed --format value."""

    def __init__(self, expression):
        self.expression = expression
        self.fields = None
        text = expression.strip()
        if text in ('json', 'yaml', 'none'):
            self.kind = text
            return
        m = re.fullmatch(r'value\((.*)\)', text, re.S)
        if not m:
            raise Unsupported(f'unsupported --format={expression!r} (supported: json, yaml, none, '
                              'value(KEY,...))')
        self.kind = 'value'
        self.fields = []
        body = m.group(1)
        i = 0
        while True:
            while i < len(body) and body[i] == ' ':
                i += 1
            key, i = _parse_key_at(body, i)
            transform = None
            if body.startswith('.basename()', i):
                transform = 'basename'
                i += len('.basename()')
            elif i < len(body) and body[i] == '.':
                raise Unsupported(f'unsupported transform {body[i:]!r} in --format '
                                  '(only .basename())')
            self.fields.append((key, transform))
            while i < len(body) and body[i] == ' ':
                i += 1
            if i >= len(body):
                break
            if body[i] != ',':
                raise Unsupported(f'unsupported --format={expression!r}: expected `,` at '
                                  f'{body[i:]!r} (labels, attributes and other transforms '
                                  'are not supported)')
            i += 1
        if not self.fields:
            raise Unsupported('value() needs at least one key')

    def render(self, resources, single):
        """The text gcloud prints for `resources` (one resource when `single`)."""
        if self.kind == 'none':
            return ''
        if self.kind == 'json':
            return json.dumps(resources[0] if single else resources, indent=2, sort_keys=True,
                              ensure_ascii=False) + '\n'
        if self.kind == 'yaml':
            if single:
                return miniyaml.dump(resources[0])
            return ''.join(('---\n' if n else '') + miniyaml.dump(r)
                           for n, r in enumerate(resources))
        lines = []
        for resource in resources:
            cols = []
            for key, transform in self.fields:
                value = get(resource, key)
                if transform == 'basename':
                    value = _basename(value)
                cols.append(_value_text(value))
            lines.append('\t'.join(cols) + '\n')
        return ''.join(lines)


def _basename(value):
    if isinstance(value, list):
        return [_basename(v) for v in value]
    if isinstance(value, str):
        return value.rstrip('/').split('/')[-1] if value else value
    return value


def _scalar_value_text(value):
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _value_text(value):
    if value is None:
        return ''
    if isinstance(value, dict):
        return ';'.join(f'{k}={_scalar_value_text(v)}' for k, v in sorted(value.items()))
    if isinstance(value, list):
        return ';'.join(_scalar_value_text(x) if x else '' for x in value)
    return _scalar_value_text(value)
