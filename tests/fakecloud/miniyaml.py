"""A strict reader and a writer for the subset of YAML that multirun generates (stdlib only).

The reader accepts one document of block mappings and block sequences (including the compact
`key:` + `- item` form and `- key: value` items), with double-quoted scalars (every YAML escape),
single-quoted scalars, single-line plain scalars, single-line flow collections (`[]`, `{}`,
`[a, "b"]`, `{a: 1}`), full-line and trailing comments, and an optional leading `---`.

It refuses, rather than guesses at, everything else: anchors, aliases, tags, block scalars
(`|`, `>`), multi-line scalars, complex keys (`?`), directives, several documents, tabs in
indentation, duplicate keys, and the YAML 1.1 booleans (`yes`, `no`, `on`, `off`, `y`, `n`) that
YAML 1.2 reads as strings, which parsers disagree on. Plain scalars resolve by YAML 1.2's core
schema (null, booleans, integers, floats); keys are always strings.

`dump` writes block YAML that `load` reads back to the same value.
"""

import json
import math
import re

__all__ = ['YAMLError', 'load', 'dump']


class YAMLError(ValueError):
    """Malformed YAML (`unsupported` False) or YAML outside this subset (`unsupported` True)."""

    def __init__(self, message, line=None, unsupported=False):
        self.line = line
        self.unsupported = unsupported
        where = f'line {line}: ' if line is not None else ''
        super().__init__(where + message)


_AMBIGUOUS = {'yes', 'no', 'on', 'off', 'y', 'n'}
_INT = re.compile(r'[-+]?[0-9]+$')
_OCT = re.compile(r'0o[0-7]+$')
_HEX = re.compile(r'0x[0-9a-fA-F]+$')
_FLOAT = re.compile(r'[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$')
_ESCAPES = {
    '0': '\0', 'a': '\a', 'b': '\b', 't': '\t', '\t': '\t', 'n': '\n', 'v': '\v', 'f': '\f',
    'r': '\r', 'e': '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', 'N': '\x85',
    '_': '\xa0', 'L': '\u2028', 'P': '\u2029',
}
_HEX_ESCAPES = {'x': 2, 'u': 4, 'U': 8}


class _Line:
    __slots__ = ('col', 'text', 'number')

    def __init__(self, col, text, number):
        self.col = col
        self.text = text
        self.number = number


def _strip_comment(text, number):
    """`text` without a trailing comment; quotes are respected."""
    i = 0
    n = len(text)
    quote = None
    while i < n:
        c = text[i]
        if quote == '"':
            if c == '\\':
                i += 2
                continue
            if c == '"':
                quote = None
        elif quote == "'":
            if c == "'":
                if i + 1 < n and text[i + 1] == "'":
                    i += 2
                    continue
                quote = None
        elif c == '#' and (i == 0 or text[i - 1] in ' \t'):
            return text[:i].rstrip()
        elif c in '"\'' and (i == 0 or text[i - 1] in ' \t[{,:-'):
            # A quote opens a quoted scalar only where a scalar starts.
            quote = c
        i += 1
    if quote:
        raise YAMLError('a quoted scalar does not end on its line (multi-line scalars are '
                        'not supported)', number, unsupported=True)
    return text.rstrip()


def _lines(text):
    if text.startswith('\ufeff'):
        text = text[1:]
    out = []
    seen_start = False
    for number, raw in enumerate(text.split('\n'), 1):
        raw = raw.rstrip('\r')
        stripped = raw.lstrip(' ')
        if stripped.startswith('\t') or (stripped == '' and '\t' in raw):
            if stripped.strip() == '':
                continue
            raise YAMLError('a tab in indentation', number)
        content = _strip_comment(stripped, number)
        if not content:
            continue
        col = len(raw) - len(stripped)
        if col == 0 and (content == '---' or content.startswith('--- ')):
            if out or seen_start:
                raise YAMLError('several documents are not supported', number, unsupported=True)
            seen_start = True
            rest = content[3:].strip()
            if rest:
                raise YAMLError('content after `---` is not supported', number, unsupported=True)
            continue
        if col == 0 and content == '...':
            raise YAMLError('document end markers are not supported', number, unsupported=True)
        if col == 0 and content.startswith('%'):
            raise YAMLError('directives are not supported', number, unsupported=True)
        out.append(_Line(col, content, number))
    return out


def _double_quoted(text, i, number):
    """Parses a double-quoted scalar starting at text[i] == '"'; returns (value, end)."""
    out = []
    i += 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            return ''.join(out), i + 1
        if c == '\\':
            if i + 1 >= n:
                raise YAMLError('a backslash ends a double-quoted line', number, unsupported=True)
            e = text[i + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
                continue
            if e in _HEX_ESCAPES:
                width = _HEX_ESCAPES[e]
                digits = text[i + 2:i + 2 + width]
                if len(digits) != width or not re.fullmatch(r'[0-9a-fA-F]+', digits):
                    raise YAMLError(f'bad escape \\{e}{digits}', number)
                out.append(chr(int(digits, 16)))
                i += 2 + width
                continue
            raise YAMLError(f'unknown escape \\{e}', number)
        out.append(c)
        i += 1
    raise YAMLError('unterminated double-quoted scalar', number)


def _single_quoted(text, i, number):
    out = []
    i += 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "'":
            if i + 1 < n and text[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            return ''.join(out), i + 1
        out.append(c)
        i += 1
    raise YAMLError('unterminated single-quoted scalar', number)


def _resolve_plain(text, number):
    if text in ('', '~', 'null', 'Null', 'NULL'):
        return None
    if text in ('true', 'True', 'TRUE'):
        return True
    if text in ('false', 'False', 'FALSE'):
        return False
    if text.lower() in _AMBIGUOUS:
        raise YAMLError(f'plain `{text}` is a boolean in YAML 1.1 and a string in YAML 1.2; '
                        'quote it', number)
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if text in ('.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'):
        return math.inf
    if text in ('-.inf', '-.Inf', '-.INF'):
        return -math.inf
    if text in ('.nan', '.NaN', '.NAN'):
        return math.nan
    return text


def _check_plain_start(text, number):
    c = text[0]
    if c in '&*!|>%@`':
        what = {'&': 'anchors', '*': 'aliases', '!': 'tags', '|': 'block scalars',
                '>': 'block scalars', '%': 'directives', '@': 'reserved indicators',
                '`': 'reserved indicators'}[c]
        raise YAMLError(f'{what} are not supported: {text!r}', number, unsupported=True)
    if c == '?' and (len(text) == 1 or text[1] == ' '):
        raise YAMLError('complex keys (`?`) are not supported', number, unsupported=True)


def _scalar(text, number):
    """A whole-line value: quoted, flow or plain."""
    text = text.strip()
    if not text:
        return None
    c = text[0]
    if c in '"\'':
        value, end = (_double_quoted if c == '"' else _single_quoted)(text, 0, number)
        if text[end:].strip():
            raise YAMLError(f'unexpected text after a quoted scalar: {text[end:]!r}', number)
        return value
    if c in '[{':
        value, end = _flow(text, 0, number)
        if text[end:].strip():
            raise YAMLError(f'unexpected text after a flow collection: {text[end:]!r}', number)
        return value
    _check_plain_start(text, number)
    if c == '-' and (len(text) == 1 or text[1] == ' '):
        raise YAMLError('a sequence cannot start inline after a key', number)
    if ': ' in text or text.endswith(':'):
        raise YAMLError(f'a mapping cannot start inline here: {text!r}', number)
    if c in ']},#':
        raise YAMLError(f'unexpected {c!r}', number)
    return _resolve_plain(text, number)


def _skip_spaces(text, i):
    while i < len(text) and text[i] == ' ':
        i += 1
    return i


def _flow(text, i, number, depth=0):
    """Parses a single-line flow collection or scalar inside one; returns (value, end)."""
    if depth > 64:
        raise YAMLError('flow collections nest too deep', number, unsupported=True)
    i = _skip_spaces(text, i)
    if i >= len(text):
        raise YAMLError('unterminated flow collection (multi-line flow collections are not '
                        'supported)', number, unsupported=True)
    c = text[i]
    if c == '[':
        items = []
        i = _skip_spaces(text, i + 1)
        if i < len(text) and text[i] == ']':
            return items, i + 1
        while True:
            value, i = _flow(text, i, number, depth + 1)
            items.append(value)
            i = _skip_spaces(text, i)
            if i >= len(text):
                raise YAMLError('unterminated flow sequence', number, unsupported=True)
            if text[i] == ',':
                i = _skip_spaces(text, i + 1)
                if i < len(text) and text[i] == ']':
                    return items, i + 1
                continue
            if text[i] == ']':
                return items, i + 1
            raise YAMLError(f'expected `,` or `]` in a flow sequence at {text[i:]!r}', number)
    if c == '{':
        mapping = {}
        i = _skip_spaces(text, i + 1)
        if i < len(text) and text[i] == '}':
            return mapping, i + 1
        while True:
            key, i = _flow_scalar(text, i, number, key=True)
            i = _skip_spaces(text, i)
            if i >= len(text) or text[i] != ':':
                raise YAMLError('expected `:` after a flow mapping key', number)
            value, i = _flow(text, i + 1, number, depth + 1)
            if not isinstance(key, str):
                raise YAMLError('flow mapping keys must be strings', number)
            if key in mapping:
                raise YAMLError(f'duplicate key {key!r}', number)
            mapping[key] = value
            i = _skip_spaces(text, i)
            if i >= len(text):
                raise YAMLError('unterminated flow mapping', number, unsupported=True)
            if text[i] == ',':
                i = _skip_spaces(text, i + 1)
                if i < len(text) and text[i] == '}':
                    return mapping, i + 1
                continue
            if text[i] == '}':
                return mapping, i + 1
            raise YAMLError(f'expected `,` or `}}` in a flow mapping at {text[i:]!r}', number)
    return _flow_scalar(text, i, number)


def _flow_scalar(text, i, number, key=False):
    i = _skip_spaces(text, i)
    if i >= len(text):
        raise YAMLError('a value is missing in a flow collection', number)
    c = text[i]
    if c == '"':
        return _double_quoted(text, i, number)
    if c == "'":
        return _single_quoted(text, i, number)
    if c in '[{' and not key:
        return _flow(text, i, number)
    start = i
    while i < len(text):
        ch = text[i]
        if ch in ',[]{}':
            break
        if ch == ':' and (i + 1 == len(text) or text[i + 1] in ' ,]}'):
            break
        i += 1
    raw = text[start:i].strip()
    if not raw:
        raise YAMLError(f'a value is missing in a flow collection at {text[start:]!r}', number)
    _check_plain_start(raw, number)
    return (raw if key else _resolve_plain(raw, number)), i


def _is_seq_item(text):
    return text == '-' or text.startswith('- ')


def _split_key(text, number):
    """(key, rest) if `text` is a mapping entry `key: rest`, else None."""
    c = text[0]
    if c == '?' and (len(text) == 1 or text[1] == ' '):
        raise YAMLError('complex keys (`?`) are not supported', number, unsupported=True)
    if c in '"\'':
        key, end = (_double_quoted if c == '"' else _single_quoted)(text, 0, number)
        j = _skip_spaces(text, end)
        if j < len(text) and text[j] == ':' and (j + 1 == len(text) or text[j + 1] == ' '):
            return key, text[j + 1:].strip()
        return None
    if c in '[{':
        return None
    m = re.search(r':( |$)', text)
    if not m:
        return None
    key = text[:m.start()].rstrip()
    if not key:
        raise YAMLError('an empty key', number)
    _check_plain_start(key, number)
    return key, text[m.end():].strip()


class _Parser:
    def __init__(self, lines):
        self.lines = lines

    def node(self, i, col):
        line = self.lines[i]
        if _is_seq_item(line.text):
            return self.sequence(i, col)
        if _split_key(line.text, line.number) is not None:
            return self.mapping(i, col)
        value = _scalar(line.text, line.number)
        i += 1
        if i < len(self.lines) and self.lines[i].col > col:
            raise YAMLError('multi-line plain scalars are not supported (or the indentation is '
                            'wrong)', self.lines[i].number, unsupported=True)
        return value, i

    def child(self, i, parent_col, number, allow_same_col_seq):
        """The value of `key:` or `-` whose value starts on the next line."""
        if i < len(self.lines):
            nxt = self.lines[i]
            if nxt.col > parent_col:
                return self.node(i, nxt.col)
            if allow_same_col_seq and nxt.col == parent_col and _is_seq_item(nxt.text):
                return self.sequence(i, parent_col)
        return None, i

    def sequence(self, i, col):
        items = []
        while i < len(self.lines):
            line = self.lines[i]
            if line.col < col:
                break
            if line.col > col:
                raise YAMLError('bad indentation in a sequence', line.number)
            if not _is_seq_item(line.text):
                break
            rest = line.text[1:]
            stripped = rest.lstrip(' ')
            if not stripped:
                value, i = self.child(i + 1, col, line.number, allow_same_col_seq=False)
            else:
                inner = col + 1 + (len(rest) - len(stripped))
                self.lines[i] = _Line(inner, stripped, line.number)
                value, i = self.node(i, inner)
            items.append(value)
        return items, i

    def mapping(self, i, col):
        mapping = {}
        while i < len(self.lines):
            line = self.lines[i]
            if line.col < col:
                break
            if line.col > col:
                raise YAMLError('bad indentation in a mapping', line.number)
            if _is_seq_item(line.text):
                # A sequence at the column of the keys belongs to the key before it.
                raise YAMLError('a sequence item where a key was expected', line.number)
            split = _split_key(line.text, line.number)
            if split is None:
                raise YAMLError(f'expected `key: value`, found {line.text!r}', line.number)
            key, rest = split
            if key in mapping:
                raise YAMLError(f'duplicate key {key!r}', line.number)
            if rest:
                mapping[key] = _scalar(rest, line.number)
                i += 1
                if i < len(self.lines) and self.lines[i].col > col:
                    raise YAMLError('multi-line plain scalars are not supported (or the '
                                    'indentation is wrong)', self.lines[i].number,
                                    unsupported=True)
            else:
                mapping[key], i = self.child(i + 1, col, line.number, allow_same_col_seq=True)
        return mapping, i


def load(text):
    """The value of the one YAML document in `text` (None when it is empty)."""
    lines = _lines(text)
    if not lines:
        return None
    parser = _Parser(lines)
    value, i = parser.node(0, lines[0].col)
    if i < len(lines):
        raise YAMLError('unexpected content (bad indentation?)', lines[i].number)
    return value


# ---- Writing --------------------------------------------------------------------------------

_PLAIN_SAFE = re.compile(r'[A-Za-z_/.][A-Za-z0-9_./@+=-]*(:[A-Za-z0-9_./@+=-]+)*$')


def _scalar_text(value):
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return '.nan'
        if math.isinf(value):
            return '.inf' if value > 0 else '-.inf'
        return repr(value)
    if isinstance(value, str):
        if _PLAIN_SAFE.match(value):
            try:
                if _resolve_plain(value, None) == value and not value.startswith('.'):
                    return value
            except YAMLError:
                pass
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f'cannot write {type(value).__name__} as YAML')


def _key_text(key):
    key = str(key)
    text = _scalar_text(key)
    return text


def _dump(value, indent, out):
    pad = ' ' * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and item:
                out.append(f'{pad}{_key_text(key)}:')
                _dump(item, indent + 2, out)
            elif isinstance(item, list) and item:
                out.append(f'{pad}{_key_text(key)}:')
                _dump(item, indent, out)
            else:
                out.append(f'{pad}{_key_text(key)}: {_inline(item)}')
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                sub = []
                _dump(item, indent + 2, sub)
                first = sub[0][indent + 2:]
                out.append(f'{pad}- {first}')
                out.extend(sub[1:])
            else:
                out.append(f'{pad}- {_inline(item)}')
    else:
        out.append(pad + _inline(value))


def _inline(value):
    if isinstance(value, dict):
        return '{}'
    if isinstance(value, list):
        return '[]'
    return _scalar_text(value)


def dump(value):
    """Block YAML for a JSON-like value, ending with a newline."""
    out = []
    _dump(value, 0, out)
    return '\n'.join(out) + '\n'
