"""A stateful fake `gcloud` for testing multirun's deploy.sh and teardown.sh (stdlib only).

The project's resources live in a JSON file named by FAKECLOUD_STATE (see README.md). Each
invocation parses its arguments as strictly as gcloud does (unknown commands and flags exit 2),
takes an exclusive lock on STATE.lock, applies the command to the state, refuses what the real
APIs refuse (exit 1, `ERROR: (gcloud.GROUP.COMMAND) CODE: message` on stderr, state unchanged),
and writes the state back sorted, so that two states that hold the same resources are
byte-identical.
"""

import base64
import copy
import fcntl
import hashlib
import json
import os
import re
import sys
import tempfile

import miniyaml
import projection

# ---- Errors ----------------------------------------------------------------------------------


class UsageError(Exception):
    """A command line the fake does not accept (exit 2), as gcloud's argument parser does."""


class ApiError(Exception):
    """What the API (or gcloud after parsing) refuses (exit 1)."""

    def __init__(self, code, message):
        super().__init__(f'{code}: {message}')
        self.code = code


def not_found(what):
    return ApiError('NOT_FOUND', f'The resource {what} was not found')


def invalid(message):
    return ApiError('INVALID_ARGUMENT', message)


def already_exists(ctx, type_, name, region=None):
    return ApiError('ALREADY_EXISTS',
                    f"The resource '{relative_name(ctx.project, type_, name, region)}' already "
                    'exists')


# ---- Names and URLs ----------------------------------------------------------------------------

COMPUTE = 'https://www.googleapis.com/compute/v1/'
COMPUTE_PREFIXES = (COMPUTE, 'https://compute.googleapis.com/compute/v1/')
PROJECT_RE = re.compile(r'[a-z][a-z0-9-]{4,28}[a-z0-9]$')
COMPUTE_NAME_RE = re.compile(r'[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')
RUN_NAME_RE = re.compile(r'[a-z]([-a-z0-9]{0,47}[a-z0-9])?$')
REGION_RE = re.compile(r'[a-z]+-[a-z]+[0-9]+$')

# Certificate Manager, in location global: type -> collection. Map entries are stored as
# `MAP/ENTRY`, as their names are unique only within their map.
CM_TYPES = {
    'certificatemanager.dnsAuthorization': 'dnsAuthorizations',
    'certificatemanager.certificate': 'certificates',
    'certificatemanager.certificateMap': 'certificateMaps',
    'certificatemanager.certificateMapEntry': 'certificateMapEntries',
}

# type: (collection, regional)
COMPUTE_TYPES = {
    'compute.networkEndpointGroup': ('networkEndpointGroups', True),
    'compute.backendService': ('backendServices', False),
    'compute.urlMap': ('urlMaps', False),
    'compute.targetHttpsProxy': ('targetHttpsProxies', False),
    'compute.targetHttpProxy': ('targetHttpProxies', False),
    'compute.forwardingRule': ('forwardingRules', False),
    'compute.globalAddress': ('addresses', False),
    'compute.sslCertificate': ('sslCertificates', False),
    'compute.securityPolicy': ('securityPolicies', False),
}
KINDS = {
    'compute.networkEndpointGroup': 'compute#networkEndpointGroup',
    'compute.backendService': 'compute#backendService',
    'compute.urlMap': 'compute#urlMap',
    'compute.targetHttpsProxy': 'compute#targetHttpsProxy',
    'compute.targetHttpProxy': 'compute#targetHttpProxy',
    'compute.forwardingRule': 'compute#forwardingRule',
    'compute.globalAddress': 'compute#address',
    'compute.sslCertificate': 'compute#sslCertificate',
    'compute.securityPolicy': 'compute#securityPolicy',
}
IN_USE_NOUNS = {
    'compute.networkEndpointGroup': 'network_endpoint_group',
    'compute.backendService': 'backend_service',
    'compute.urlMap': 'url_map',
    'compute.targetHttpsProxy': 'target_https_proxy',
    'compute.targetHttpProxy': 'target_http_proxy',
    'compute.forwardingRule': 'forwarding_rule',
    'compute.globalAddress': 'address',
    'compute.sslCertificate': 'ssl_certificate',
    'compute.securityPolicy': 'security_policy',
}
ALL_TYPES = ['run.service', 'run.multiRegionService', *COMPUTE_TYPES, 'monitoring.dashboard',
             'secretmanager.secret', 'iap.policy', *CM_TYPES]


def relative_name(project, type_, name, region=None):
    collection, regional = COMPUTE_TYPES[type_]
    scope = f'regions/{region}' if regional else 'global'
    return f'projects/{project}/{scope}/{collection}/{name}'


def self_link(project, type_, name, region=None):
    return COMPUTE + relative_name(project, type_, name, region)


def record_link(record):
    if record['type'] in CM_TYPES:
        return cm_name(record)
    return self_link(record['project'], record['type'], record['name'], record['region'])


def record_relative(record):
    return relative_name(record['project'], record['type'], record['name'], record['region'])


def region_url(project, region):
    return f'{COMPUTE}projects/{project}/regions/{region}'


def parse_compute_url(value, allow_partial):
    """(project, region or None, collection, name) of a compute URL, or None."""
    rest = None
    for prefix in COMPUTE_PREFIXES:
        if value.startswith(prefix):
            rest = value[len(prefix):]
    if rest is None:
        if not allow_partial:
            return None
        rest = value
    m = re.fullmatch(r'projects/([^/]+)/global/([A-Za-z]+)/([^/]+)', rest)
    if m:
        return m.group(1), None, m.group(2), m.group(3)
    m = re.fullmatch(r'projects/([^/]+)/regions/([^/]+)/([A-Za-z]+)/([^/]+)', rest)
    if m:
        return m.group(1), m.group(2), m.group(3), m.group(4)
    return None


def digest(*parts, length=16):
    h = hashlib.sha256('\0'.join(parts).encode('utf-8', 'surrogateescape')).hexdigest()
    return h[:length]


def numeric_id(text):
    return str(int(digest(text, length=15), 16))


def canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(',', ':'))


# ---- State -------------------------------------------------------------------------------------


def sort_key(record):
    region = record.get('region')
    return (record.get('type', ''), region is not None, region or '', record.get('name', ''))


HEAD_KEYS = ('type', 'name', 'region', 'project')


def _sorted(value):
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def serialize(data):
    """The state file's text: resources sorted by (type, region, name), each record's keys
    sorted after type, name, region and project, so that equal states are equal bytes."""
    records = []
    for record in sorted(data['resources'], key=sort_key):
        head = {k: record[k] for k in HEAD_KEYS if k in record}
        head.update(_sorted({k: v for k, v in record.items() if k not in HEAD_KEYS}))
        records.append(head)
    out = _sorted({k: v for k, v in data.items() if k != 'resources'})
    out['resources'] = records
    return json.dumps(out, indent=2, ensure_ascii=False) + '\n'


EMPTY_STATE = '{"resources": []}\n'


class State:
    def __init__(self, data):
        if not isinstance(data, dict) or not isinstance(data.get('resources'), list):
            raise UsageError('the state file must hold {"resources": [...]}')
        for record in data['resources']:
            if (not isinstance(record, dict) or record.get('type') not in ALL_TYPES
                    or not isinstance(record.get('name'), str) or 'region' not in record):
                raise UsageError(f'a state record is not a fakecloud resource: {record!r}')
        self.data = data
        self.changed = False

    @property
    def resources(self):
        return self.data['resources']

    def find(self, type_, name, region=None):
        for record in self.resources:
            if record['type'] == type_ and record['name'] == name and record['region'] == region:
                return record
        return None

    def of_type(self, type_):
        return sorted((r for r in self.resources if r['type'] == type_), key=sort_key)

    def put(self, record):
        old = self.find(record['type'], record['name'], record['region'])
        if old is not None:
            self.resources.remove(old)
        self.resources.append(record)
        self.changed = True

    def remove(self, record):
        self.resources.remove(record)
        self.changed = True


class Store:
    """The state file under an flock on STATE.lock: exclusive for commands that change it."""

    def __init__(self, path, exclusive):
        self.path = path
        self.exclusive = exclusive
        self.lock_fd = None

    def __enter__(self):
        self.lock_fd = os.open(self.path + '.lock', os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.lock_fd, fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH)
        try:
            with open(self.path, encoding='utf-8') as f:
                text = f.read()
        except FileNotFoundError:
            text = EMPTY_STATE  # written only if a change succeeds
        try:
            data = json.loads(text)
        except ValueError as e:
            raise UsageError(f'the state file {self.path} is not JSON: {e}') from None
        self.state = State(data)
        return self

    def _write(self, text):
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, tmp = tempfile.mkstemp(prefix='.fakecloud-', dir=directory)
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                f.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def save(self):
        self._write(serialize(self.state.data))

    def __exit__(self, *exc):
        os.close(self.lock_fd)
        return False


# ---- Command line ------------------------------------------------------------------------------

VALUE = 'value'
BOOL = 'bool'
GLOBAL_FLAGS = {'project': VALUE, 'quiet': BOOL, 'format': VALUE, 'verbosity': VALUE}
VERBOSITIES = ('debug', 'info', 'warning', 'error', 'critical', 'none')


class Command:
    def __init__(self, handler, positionals=(), flags=None, required=(), mutates=False,
                 listing=False, flatten=False):
        self.handler = handler
        self.positionals = list(positionals)
        self.flags = dict(flags or {})
        if listing:
            self.flags.update({'filter': VALUE, 'limit': VALUE})
        if flatten:
            self.flags['flatten'] = VALUE
        self.required = list(required)
        self.mutates = mutates
        self.listing = listing


class Args:
    def __init__(self, path, command, flags, positionals):
        self.path = path
        self.command = command
        self.flags = flags
        self.positionals = positionals

    def get(self, name, default=None):
        return self.flags.get(name, default)

    @property
    def where(self):
        return 'gcloud.' + '.'.join(self.path)


def _value_flags(tree):
    names = {n for n, kind in GLOBAL_FLAGS.items() if kind == VALUE}
    for node in tree.values():
        if isinstance(node, dict):
            names |= _value_flags(node)
        else:
            names |= {n for n, kind in node.flags.items() if kind == VALUE}
    return names


def parse_args(argv, tree):
    value_flags = _value_flags(tree)
    # Pass 1: the command words (every word that is not a flag or a flag's value).
    words = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith('--') and '=' not in arg and arg[2:] in value_flags:
            i += 2
            continue
        if arg.startswith('-') and arg != '-':
            i += 1
            continue
        words.append((i, arg))
        i += 1
    node = tree
    path = []
    rest = list(words)
    while isinstance(node, dict):
        if not rest:
            where = 'gcloud' + ''.join('.' + p for p in path)
            raise UsageError(f'({where}) Command name argument expected. Choose one of: '
                             + ', '.join(sorted(node)))
        _, word = rest.pop(0)
        if word not in node:
            where = 'gcloud' + ''.join('.' + p for p in path)
            raise UsageError(f'({where}) Invalid choice: {word!r}. The fake gcloud supports: '
                             + ', '.join(sorted(node)))
        path.append(word)
        node = node[word]
    command = node
    where = 'gcloud.' + '.'.join(path)
    command_indexes = {i for i, _ in words[:len(words) - len(rest)]}
    allowed = dict(GLOBAL_FLAGS)
    allowed.update(command.flags)
    # Pass 2: the flags, strictly.
    flags = {}
    positionals = []
    unknown = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if i in command_indexes:
            i += 1
            continue
        if arg == '-q':
            flags['quiet'] = True
            i += 1
            continue
        if arg.startswith('--'):
            name, eq, value = arg[2:].partition('=')
            kind = allowed.get(name)
            if kind is None:
                unknown.append(arg)
                i += 1 if eq or name not in value_flags else 2
                continue
            if kind == BOOL:
                if eq:
                    raise UsageError(f'({where}) argument --{name}: ignored explicit argument '
                                     f'{value!r}')
                flags[name] = True
                i += 1
                continue
            if not eq:
                if i + 1 >= len(argv) or argv[i + 1].startswith('--'):
                    raise UsageError(f'({where}) argument --{name}: expected one argument')
                value = argv[i + 1]
                i += 1
            flags[name] = value
            i += 1
            continue
        if arg.startswith('-') and arg != '-':
            unknown.append(arg)
            i += 1
            continue
        positionals.append(arg)
        i += 1
    if unknown:
        raise UsageError(f'({where}) unrecognized arguments: {" ".join(unknown)}')
    names = command.positionals
    variadic = bool(names) and names[-1].endswith('...')
    if len(positionals) < len(names):
        raise UsageError(f'({where}) argument {names[len(positionals)]}: Must be specified.')
    if len(positionals) > len(names) and not variadic:
        raise UsageError(f'({where}) unrecognized arguments: '
                         + ' '.join(positionals[len(names):]))
    for name in command.required:
        if name not in flags:
            raise UsageError(f'({where}) argument --{name}: Must be specified.')
    return Args(path, command, flags, positionals)


# ---- Output ------------------------------------------------------------------------------------


class Context:
    def __init__(self, args, state, project):
        self.args = args
        self.state = state
        self.project = project
        self.stdout = []
        self.stderr = []
        fmt = args.get('format')
        try:
            self.format = projection.Format(fmt) if fmt is not None else None
        except projection.Unsupported as e:
            raise UsageError(f'({args.where}) --format: {e}') from None

    def err(self, text):
        self.stderr.append(text + '\n')

    def show(self, resource, default='yaml'):
        """Prints one resource (describe; create/update only with --format)."""
        fmt = self.format
        if fmt is None:
            if default is None:
                return
            fmt = projection.Format(default)
        self.stdout.append(fmt.render([resource], single=True))

    def show_list(self, resources, flatten=None):
        args = self.args
        try:
            if flatten:
                resources = projection.flatten(resources, projection.flatten_keys(flatten))
            filt = args.get('filter')
            if filt is not None:
                resources = [r for r in resources if projection.Filter(filt).matches(r)]
        except projection.Unsupported as e:
            raise UsageError(f'({args.where}) {e}') from None
        limit = args.get('limit')
        if limit is not None:
            resources = resources[:int(limit)]
        fmt = self.format or projection.Format('yaml')
        self.stdout.append(fmt.render(resources, single=False))


# ---- Shared validation -------------------------------------------------------------------------


def read_source(path, what):
    try:
        with open(path, encoding='utf-8') as f:
            return f.read()
    except OSError as e:
        raise ApiError('INVALID_ARGUMENT', f'Unable to read {what} [{path}]: {e.strerror}') \
            from None
    except UnicodeDecodeError:
        raise ApiError('INVALID_ARGUMENT', f'{what} [{path}] is not UTF-8') from None


def load_yaml(text, path, where):
    try:
        return miniyaml.load(text)
    except miniyaml.YAMLError as e:
        if e.unsupported:
            raise UsageError(f"({where}) {path}: {e} (outside the fake's YAML subset)") from None
        raise ApiError('INVALID_ARGUMENT', f'{path} is not valid YAML: {e}') from None


def check_compute_name(name, what):
    if not COMPUTE_NAME_RE.match(name):
        raise invalid(f"Invalid value for field 'resource.name': {name!r}. Must be a match of "
                      f"regex '(?:[a-z](?:[-a-z0-9]{{0,61}}[a-z0-9])?)' ({what})")


def check_string_map(value, what):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(f'{what} must be a map of strings')
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid(f'{what}.{key} must be a string, not {type(item).__name__} {item!r} '
                          '(quote it)')
    return dict(value)


def check_keys(value, allowed, what):
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise invalid(f'{what}: unknown field(s) {", ".join(map(repr, unknown))} (Additional '
                      'properties are not allowed)')


def in_use(state, record):
    """The records that use `record`, as the API's resourceInUseByAnotherResource sees them."""
    link = record_link(record)
    users = []
    t = record['type']
    if t == 'compute.networkEndpointGroup':
        users = [b for b in state.of_type('compute.backendService')
                 if any(x.get('group') == link for x in b.get('backends', []))]
    elif t == 'compute.backendService':
        users = [u for u in state.of_type('compute.urlMap') if link in url_map_services(u)]
    elif t == 'compute.urlMap':
        users = [p for kind in ('compute.targetHttpsProxy', 'compute.targetHttpProxy')
                 for p in state.of_type(kind) if p.get('urlMap') == link]
    elif t == 'compute.sslCertificate':
        users = [p for p in state.of_type('compute.targetHttpsProxy')
                 if link in p.get('sslCertificates', [])]
    elif t == 'compute.securityPolicy':
        users = [b for b in state.of_type('compute.backendService')
                 if b.get('securityPolicy') == link]
    elif t == 'compute.globalAddress':
        users = [f for f in state.of_type('compute.forwardingRule')
                 if f.get('IPAddress') == record['address']]
    elif t in ('compute.targetHttpsProxy', 'compute.targetHttpProxy'):
        users = [f for f in state.of_type('compute.forwardingRule') if f.get('target') == link]
    return users



SERVICE_REF_KEYS = ('defaultService', 'service', 'backendService')


def url_map_services(record):
    """Every backend service URL a URL map references, anywhere in it."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in SERVICE_REF_KEYS and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({k: v for k, v in record.items() if k not in ('type', 'name', 'region', 'project')})
    return found


def check_lb_schemes(state):
    """A forwarding rule and the backend services behind its proxy's URL map share one load
    balancing scheme (the API refuses a load balancer that mixes them)."""
    for rule in state.of_type('compute.forwardingRule'):
        proxy = find_by_link(state, rule.get('target'))
        if proxy is None:
            continue
        url_map = find_by_link(state, proxy.get('urlMap'))
        if url_map is None:
            continue
        for link in url_map_services(url_map):
            service = find_by_link(state, link)
            if service is None:
                continue
            scheme = service.get('loadBalancingScheme')
            if scheme != rule.get('loadBalancingScheme'):
                raise invalid(
                    f"Invalid value for field 'resource.loadBalancingScheme': the forwarding rule "
                    f"{record_relative(rule)} ({rule.get('loadBalancingScheme')}) reaches the "
                    f"backend service {record_relative(service)} ({scheme}) through "
                    f"{record_relative(proxy)} and {record_relative(url_map)}: one load balancer "
                    'cannot mix load balancing schemes')


def find_by_link(state, link):
    if not isinstance(link, str):
        return None
    parsed = parse_compute_url(link, allow_partial=False)
    if parsed is None:
        return None
    project, region, collection, name = parsed
    for type_, (coll, _) in COMPUTE_TYPES.items():
        if coll == collection:
            record = state.find(type_, name, region)
            if record is not None and record['project'] == project:
                return record
    return None


def resolve_global(ctx, value, type_, flag):
    """A global resource named by `value` (a name or a URL) on a flag; NOT_FOUND if missing."""
    collection, _ = COMPUTE_TYPES[type_]
    if '/' in value:
        parsed = parse_compute_url(value, allow_partial=True)
        if (parsed is None or parsed[1] is not None or parsed[2] != collection
                or parsed[0] != ctx.project):
            raise invalid(f'{flag}: {value!r} is not a {collection} reference in project '
                          f'{ctx.project}')
        value = parsed[3]
    record = ctx.state.find(type_, value)
    if record is None:
        raise not_found(f"'{relative_name(ctx.project, type_, value)}'")
    return record


def need_scope_global(ctx):
    if not ctx.args.get('global'):
        raise UsageError(f'({ctx.args.where}) argument --global: Must be specified.')


def compute_find(ctx, type_, name, region=None):
    record = ctx.state.find(type_, name, region)
    if record is None:
        raise not_found(f"'{relative_name(ctx.project, type_, name, region)}'")
    return record


def compute_view(record, state):
    view = {k: copy.deepcopy(v) for k, v in record.items()
            if k not in ('type', 'region', 'project')}
    view['kind'] = KINDS[record['type']]
    view['selfLink'] = record_link(record)
    view['id'] = numeric_id(record_link(record))
    if record['region'] is not None:
        view['region'] = region_url(record['project'], record['region'])
    view['fingerprint'] = digest(canonical(record), length=12)
    t = record['type']
    if t == 'compute.globalAddress':
        users = in_use(state, record)
        view['status'] = 'IN_USE' if users else 'RESERVED'
        if users:
            view['users'] = [record_link(u) for u in users]
    elif t == 'compute.sslCertificate' and 'selfManaged' in view:
        self_managed = view.pop('selfManaged')
        view['type'] = 'SELF_MANAGED'
        view['certificate'] = self_managed['certificate']
        view['selfManaged'] = {'certificate': self_managed['certificate']}
    elif t == 'compute.sslCertificate':
        managed = view.pop('managed')
        status = managed['status']
        domain_status = {'ACTIVE': 'ACTIVE', 'PROVISIONING': 'PROVISIONING'}.get(
            status, 'FAILED_NOT_VISIBLE')
        view['type'] = 'MANAGED'
        view['managed'] = {'domains': managed['domains'], 'status': status,
                           'domainStatus': {d: domain_status for d in managed['domains']}}
        view['subjectAlternativeNames'] = list(managed['domains'])
    elif t == 'compute.securityPolicy':
        view['type'] = view.pop('policyType')
    elif t == 'compute.backendService':
        users = in_use(state, record)
        if users:
            view['usedBy'] = [{'reference': record_link(u)} for u in users]
    return view


def compute_created(ctx, record, verb='Created'):
    ctx.err(f'{verb} [{record_link(record)}].')
    ctx.show(compute_view(record, ctx.state), default=None)


def compute_delete(ctx, type_, region=None):
    record = compute_find(ctx, type_, ctx.args.positionals[0], region)
    users = in_use(ctx.state, record)
    if users:
        noun = IN_USE_NOUNS[type_]
        raise ApiError('RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
                       f"The {noun} resource '{record_relative(record)}' is already being used "
                       f"by '{record_relative(users[0])}'")
    ctx.state.remove(record)
    ctx.err(f'Deleted [{record_link(record)}].')


def compute_describe(ctx, type_, region=None):
    record = compute_find(ctx, type_, ctx.args.positionals[0], region)
    ctx.show(compute_view(record, ctx.state))


def compute_list(ctx, type_):
    """A compute list: every scope, or only --global, or only --regions=R1,R2."""
    only_global = ctx.args.get('global')
    regions = ctx.args.get('regions')
    if only_global and regions is not None:
        raise UsageError(f'({ctx.args.where}) argument --global: At most one of --global | '
                         '--regions may be specified.')
    records = ctx.state.of_type(type_)
    if only_global:
        records = [r for r in records if r['region'] is None]
    elif regions is not None:
        wanted = [r for r in regions.split(',') if r]
        records = [r for r in records if r['region'] in wanted]
    ctx.show_list([compute_view(r, ctx.state) for r in records])


# ---- services ----------------------------------------------------------------------------------


def h_services_enable(ctx):
    for api in ctx.args.positionals:
        if not re.fullmatch(r'[a-z0-9-]+(\.[a-z0-9-]+)*\.googleapis\.com', api):
            raise ApiError('NOT_FOUND', f'Not found or permission denied for service(s): {api}.')
    ctx.err(f'Operation "operations/acf.fake-{digest(*ctx.args.positionals, length=8)}" finished '
            'successfully.')


# ---- run services -------------------------------------------------------------------------------

INGRESS_VALUES = ('all', 'internal', 'internal-and-cloud-load-balancing')
RESERVED_ENV = ('PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION')
SERVICE_TOP_KEYS = ('apiVersion', 'kind', 'metadata', 'spec', 'status')


def service_record(doc, path, region, project):
    if not isinstance(doc, dict):
        raise invalid(f'{path}: a Knative Service must be a mapping')
    check_keys(doc, SERVICE_TOP_KEYS, path)
    if doc.get('apiVersion') != 'serving.knative.dev/v1' or doc.get('kind') != 'Service':
        raise invalid(f'{path}: expected apiVersion serving.knative.dev/v1 and kind Service, got '
                      f'{doc.get("apiVersion")!r} and {doc.get("kind")!r}')
    metadata = doc.get('metadata')
    if not isinstance(metadata, dict) or not isinstance(metadata.get('name'), str):
        raise invalid(f'{path}: metadata.name is required')
    name = metadata['name']
    if not RUN_NAME_RE.match(name):
        raise invalid(f'{path}: service name {name!r} must use only lowercase alphanumeric '
                      'characters and dashes, start with a letter, not end with a dash, and be '
                      'at most 49 characters')
    namespace = metadata.get('namespace')
    if (namespace is not None and namespace != project
            and not re.fullmatch(r'[0-9]+', str(namespace))):
        raise invalid(f'{path}: metadata.namespace {namespace!r} must be the project '
                      f'[{project}] or its number')
    labels = check_string_map(metadata.get('labels'), 'metadata.labels')
    location = labels.pop('cloud.googleapis.com/location', None)
    if location is not None and location != region:
        raise invalid(f'{path}: label cloud.googleapis.com/location is {location!r} but --region '
                      f'is {region!r}')
    annotations = check_string_map(metadata.get('annotations'), 'metadata.annotations')
    ingress = annotations.get('run.googleapis.com/ingress')
    if ingress is not None and ingress not in INGRESS_VALUES:
        raise invalid(f'{path}: run.googleapis.com/ingress must be one of {INGRESS_VALUES}, not '
                      f'{ingress!r}')
    disabled = annotations.get('run.googleapis.com/invoker-iam-disabled')
    if disabled is not None and disabled.lower() not in ('true', 'false'):
        raise invalid(f'{path}: run.googleapis.com/invoker-iam-disabled must be "true" or '
                      f'"false", not {disabled!r}')
    spec = doc.get('spec')
    template = spec.get('template') if isinstance(spec, dict) else None
    if not isinstance(template, dict) or not isinstance(template.get('spec'), dict):
        raise invalid(f'{path}: spec.template.spec is required')
    tmeta = template.get('metadata') or {}
    if not isinstance(tmeta, dict):
        raise invalid(f'{path}: spec.template.metadata must be a mapping')
    tannotations = check_string_map(tmeta.get('annotations'), 'spec.template.metadata.annotations')
    check_string_map(tmeta.get('labels'), 'spec.template.metadata.labels')
    scale = {}
    for key in ('autoscaling.knative.dev/minScale', 'autoscaling.knative.dev/maxScale'):
        if key in tannotations:
            if not re.fullmatch(r'[0-9]+', tannotations[key]):
                raise invalid(f'{path}: {key} must be a non-negative integer, not '
                              f'{tannotations[key]!r}')
            scale[key] = int(tannotations[key])
    if len(scale) == 2 and scale['autoscaling.knative.dev/minScale'] > \
            scale['autoscaling.knative.dev/maxScale']:
        raise invalid(f'{path}: minScale ({scale["autoscaling.knative.dev/minScale"]}) is greater '
                      f'than maxScale ({scale["autoscaling.knative.dev/maxScale"]})')
    tspec = template['spec']
    concurrency = tspec.get('containerConcurrency')
    if concurrency is not None and (not isinstance(concurrency, int)
                                    or isinstance(concurrency, bool)
                                    or not 0 <= concurrency <= 1000):
        raise invalid(f'{path}: containerConcurrency must be an integer from 0 to 1000')
    timeout = tspec.get('timeoutSeconds')
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool)
                                or not 1 <= timeout <= 3600):
        raise invalid(f'{path}: timeoutSeconds must be an integer from 1 to 3600')
    containers = tspec.get('containers')
    if not isinstance(containers, list) or not containers:
        raise invalid(f'{path}: spec.template.spec.containers needs at least one container')
    for n, container in enumerate(containers):
        if not isinstance(container, dict) or not isinstance(container.get('image'), str) \
                or not container['image']:
            raise invalid(f'{path}: containers[{n}].image is required')
        env = container.get('env') or []
        if not isinstance(env, list):
            raise invalid(f'{path}: containers[{n}].env must be a list')
        seen = set()
        for item in env:
            if not isinstance(item, dict) or not isinstance(item.get('name'), str):
                raise invalid(f'{path}: every env entry needs a name')
            if 'value' in item and not isinstance(item['value'], str):
                raise invalid(f'{path}: env {item["name"]} value must be a string (quote it)')
            if item['name'] in RESERVED_ENV:
                raise invalid(f'{path}: The following reserved env names were provided: '
                              f'{item["name"]}. These values are automatically set by the '
                              'system.')
            if item['name'] in seen:
                raise invalid(f'{path}: env {item["name"]} is set twice')
            seen.add(item['name'])
    first = containers[0]
    return {
        'type': 'run.service',
        'name': name,
        'region': region,
        'project': project,
        'annotations': annotations,
        'labels': labels,
        'iamBindings': [],
        'image': first['image'],
        'templateAnnotations': tannotations,
        'env': copy.deepcopy(first.get('env') or []),
        'probes': {k: copy.deepcopy(first[k])
                   for k in ('startupProbe', 'livenessProbe', 'readinessProbe') if k in first},
        'spec': copy.deepcopy(spec),
    }


def service_view(record):
    labels = dict(record['labels'])
    labels['cloud.googleapis.com/location'] = record['region']
    return {
        'apiVersion': 'serving.knative.dev/v1',
        'kind': 'Service',
        'metadata': {
            'name': record['name'],
            'namespace': record['project'],
            'labels': labels,
            'annotations': copy.deepcopy(record['annotations']),
            'uid': digest(record['project'], record['region'], record['name'], length=32),
        },
        'spec': copy.deepcopy(record['spec']),
        'status': {
            'url': f'https://{record["name"]}-{digest(record["project"], length=10)}-'
                   f'{record["region"]}.fake.run.app',
            'conditions': [{'type': 'Ready', 'status': 'True'}],
        },
        'region': record['region'],
    }


def find_service(ctx):
    name = ctx.args.positionals[0]
    region = ctx.args.get('region')
    record = ctx.state.find('run.service', name, region)
    if record is None:
        raise ApiError('NOT_FOUND', f'Cannot find service [{name}] in region [{region}]')
    return record


def check_region(ctx):
    region = ctx.args.get('region')
    if region is not None and not REGION_RE.match(region):
        raise invalid(f'--region: {region!r} is not a region name')
    return region


def h_run_replace(ctx):
    path = ctx.args.positionals[0]
    region = check_region(ctx)
    doc = load_yaml(read_source(path, 'file'), path, ctx.args.where)
    record = service_record(doc, path, region, ctx.project)
    shared = ctx.state.find('run.multiRegionService', record['name'])
    if shared is not None and region in shared['regions']:
        raise ApiError('ALREADY_EXISTS', f'Service [{record["name"]}] already exists in region '
                       f'[{region}] (part of a multi-region service)')
    old = ctx.state.find('run.service', record['name'], region)
    if old is not None:
        record['iamBindings'] = copy.deepcopy(old['iamBindings'])
    ctx.state.put(record)
    ctx.err(f'Applying new configuration to Cloud Run service [{record["name"]}] in project '
            f'[{ctx.project}] region [{region}]')
    ctx.err(f'New configuration has been applied to service [{record["name"]}].')
    ctx.err('URL: ' + service_view(record)['status']['url'])
    ctx.show(service_view(record), default=None)


# ---- run multi-region-services ------------------------------------------------------------------
# A multi-region service is one global record (`run.multiRegionService`, region null) with the
# regions of its run.googleapis.com/regions annotation. The fake assumes it holds its name in each
# of those regions, so it refuses a regional service of the same name there, and the reverse
# (what the real API does on such a clash is not documented; refusing is the cautious model).

REGIONS_ANNOTATION = 'run.googleapis.com/regions'


def multi_region_record(doc, path, project):
    record = service_record(doc, path, None, project)
    regions = [r.strip() for r in record['annotations'].get(REGIONS_ANNOTATION, '').split(',')
               if r.strip()]
    if not regions:
        raise invalid(f'{path}: a multi-region service needs the {REGIONS_ANNOTATION} '
                      'annotation (a comma-separated list of regions)')
    for region in regions:
        if not REGION_RE.match(region):
            raise invalid(f'{path}: {REGIONS_ANNOTATION}: {region!r} is not a region name')
    if len(set(regions)) != len(regions):
        raise invalid(f'{path}: {REGIONS_ANNOTATION} lists a region twice')
    record['type'] = 'run.multiRegionService'
    record['regions'] = regions
    return record


def multi_region_view(record):
    view = service_view(dict(record, region='-'))
    view['metadata']['labels'].pop('cloud.googleapis.com/location', None)
    view['status']['urls'] = [f'https://{record["name"]}-{digest(record["project"], length=10)}-'
                              f'{region}.fake.run.app' for region in record['regions']]
    del view['region']
    return view


def find_multi_region_service(ctx):
    name = ctx.args.positionals[0]
    record = ctx.state.find('run.multiRegionService', name)
    if record is None:
        raise ApiError('NOT_FOUND', f'Cannot find multi-region service [{name}]')
    return record


def h_multi_region_replace(ctx):
    path = ctx.args.positionals[0]
    doc = load_yaml(read_source(path, 'file'), path, ctx.args.where)
    record = multi_region_record(doc, path, ctx.project)
    for region in record['regions']:
        if ctx.state.find('run.service', record['name'], region) is not None:
            raise ApiError('ALREADY_EXISTS', f'Service [{record["name"]}] already exists in '
                           f'region [{region}] (a regional service)')
    old = ctx.state.find('run.multiRegionService', record['name'])
    if old is not None:
        record['iamBindings'] = copy.deepcopy(old['iamBindings'])
    ctx.state.put(record)
    ctx.err(f'Applying new configuration to Cloud Run multi-region service [{record["name"]}] '
            f'in project [{ctx.project}] regions [{",".join(record["regions"])}]')
    ctx.err(f'New configuration has been applied to service [{record["name"]}].')


def h_multi_region_describe(ctx):
    ctx.show(multi_region_view(find_multi_region_service(ctx)))


def h_multi_region_list(ctx):
    ctx.show_list([multi_region_view(r) for r in ctx.state.of_type('run.multiRegionService')])


def h_multi_region_delete(ctx):
    record = find_multi_region_service(ctx)
    ctx.state.remove(record)
    ctx.err(f'Deleted multi-region service [{record["name"]}].')


def h_run_describe(ctx):
    check_region(ctx)
    record = find_service(ctx)
    view = revision_status(record, service_view(record))
    flatten = ctx.args.get('flatten')
    if flatten is None:
        ctx.show(view)
    else:
        # One line per traffic target (`--flatten=status.traffic`), as rollout.sh reads them.
        ctx.show_list([view], flatten=flatten)


def h_run_list(ctx):
    region = check_region(ctx)
    records = [r for r in ctx.state.of_type('run.service') if region in (None, r['region'])]
    ctx.show_list([service_view(r) for r in records])


def h_run_delete(ctx):
    check_region(ctx)
    record = find_service(ctx)
    ctx.state.remove(record)
    ctx.err(f'Deleted service [{record["name"]}].')


MEMBER_RE = re.compile(r'(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|'
                       r'principal|principalSet|deleted:user|deleted:serviceAccount|'
                       r'deleted:group):.+)$')


def policy_view(record):
    bindings = copy.deepcopy(record['iamBindings'])
    if not bindings:
        return {'etag': 'ACAB'}
    return {'bindings': bindings, 'etag': 'Bw' + digest(canonical(bindings), length=10),
            'version': 1}


def check_binding_args(ctx):
    member = ctx.args.get('member')
    role = ctx.args.get('role')
    if not MEMBER_RE.match(member):
        raise invalid(f'--member: {member!r} is not a principal (allUsers, '
                      'allAuthenticatedUsers, user:, serviceAccount:, group:, domain:, ...)')
    if not re.fullmatch(r'(roles/[A-Za-z0-9_.]+'
                        r'|(projects|organizations)/[^/]+/roles/[A-Za-z0-9_.]+)', role):
        raise invalid(f'--role: {role!r} is not a role (roles/NAME)')
    return member, role


def add_binding(record, member, role):
    """Adds `member` to `role` in a resource's IAM bindings, as the IAM API keeps them: one
    binding per role, members and roles sorted."""
    bindings = record['iamBindings']
    binding = next((b for b in bindings if b['role'] == role), None)
    if binding is None:
        binding = {'role': role, 'members': []}
        bindings.append(binding)
    if member not in binding['members']:
        binding['members'].append(member)
    binding['members'].sort()
    bindings.sort(key=lambda b: b['role'])


def remove_binding(record, member, role):
    """Removes `member` from `role`, as remove-iam-policy-binding does: NOT_FOUND when the
    binding is not there; a role left without members goes."""
    bindings = record['iamBindings']
    binding = next((b for b in bindings if b['role'] == role), None)
    if binding is None or member not in binding['members']:
        raise ApiError('NOT_FOUND', 'Policy binding with the specified principal, role, and '
                       'condition not found!')
    binding['members'].remove(member)
    if not binding['members']:
        bindings.remove(binding)


def show_policy(ctx, record):
    """get-iam-policy: the policy, or its flattened rows when --flatten/--filter/--limit ask."""
    flatten = ctx.args.get('flatten')
    if flatten is None and ctx.args.get('filter') is None and ctx.args.get('limit') is None:
        ctx.show(policy_view(record))
    else:
        ctx.show_list([policy_view(record)], flatten=flatten)


def h_run_add_binding(ctx):
    check_region(ctx)
    member, role = check_binding_args(ctx)
    record = find_service(ctx)
    if (member in ('allUsers', 'allAuthenticatedUsers')
            and os.environ.get('FAKECLOUD_DOMAIN_RESTRICTED_SHARING') == '1'):
        raise ApiError('FAILED_PRECONDITION', 'One or more users named in the policy do not '
                       'belong to a permitted customer, perhaps due to an organization policy '
                       '(constraints/iam.allowedPolicyMemberDomains)')
    add_binding(record, member, role)
    ctx.state.changed = True
    ctx.err(f'Updated IAM policy for service [{record["name"]}].')
    ctx.show(policy_view(record))


def h_run_remove_binding(ctx):
    check_region(ctx)
    member, role = check_binding_args(ctx)
    record = find_service(ctx)
    bindings = record['iamBindings']
    binding = next((b for b in bindings if b['role'] == role), None)
    if binding is None or member not in binding['members']:
        raise ApiError('NOT_FOUND', 'Policy binding with the specified principal, role, and '
                       'condition not found!')
    binding['members'].remove(member)
    if not binding['members']:
        bindings.remove(binding)
    ctx.state.changed = True
    ctx.err(f'Updated IAM policy for service [{record["name"]}].')
    ctx.show(policy_view(record))


def h_run_get_policy(ctx):
    check_region(ctx)
    record = find_service(ctx)
    flatten = ctx.args.get('flatten')
    if flatten is None and ctx.args.get('filter') is None and ctx.args.get('limit') is None:
        ctx.show(policy_view(record))
    else:
        ctx.show_list([policy_view(record)], flatten=flatten)


def h_run_update(ctx):
    check_region(ctx)
    on = ctx.args.get('invoker-iam-check')
    off = ctx.args.get('no-invoker-iam-check')
    if on and off:
        raise UsageError(f'({ctx.args.where}) argument --invoker-iam-check: at most one of '
                         '--invoker-iam-check | --no-invoker-iam-check may be specified')
    if not on and not off:
        raise ApiError('INVALID_ARGUMENT', 'No configuration change requested. Did you mean to '
                       'include the flags `--invoker-iam-check` or `--no-invoker-iam-check`?')
    record = find_service(ctx)
    # gcloud writes str(not invoker_iam_check): "True" or "False", capitalized.
    record['annotations']['run.googleapis.com/invoker-iam-disabled'] = 'True' if off else 'False'
    ctx.state.changed = True
    ctx.err(f'Service [{record["name"]}] has been updated.')
    ctx.show(service_view(record), default=None)


# ---- run deploy, revisions and traffic ----------------------------------------------------------
# What rollout.sh calls: `run deploy --image --no-traffic --tag` (a new revision of an existing
# service), `run services update-traffic` and `auth print-access-token`. A service created or
# replaced from YAML has one revision, named from its template, and no stored traffic (the API's
# default, 100% to the latest revision), so nothing is added to its record: day-two states stay
# comparable. `run deploy` stores `revisions` ([{"name", "image"}], oldest first) and `traffic`
# (the Knative spec.traffic targets: `revisionName` or `latestRevision: true`, `percent`, `tag`);
# a later replace drops both, as the real replace sends a spec without traffic.
# The traffic arithmetic is gcloud's own (googlecloudsdk/api_lib/run/traffic.py): tags change
# first, then percentages; targets the command does not name keep their share, scaled.

LATEST = 'LATEST'
TAG_RE = re.compile(r'[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')


def revision_name(service, number, template):
    return f'{service}-{number:05d}-{digest(canonical(template), str(number), length=3)}'


def service_revisions(record):
    """The service's revisions, oldest first: the stored ones, or the one its YAML made."""
    if 'revisions' in record:
        return record['revisions']
    template = record['spec'].get('template') or {}
    return [{'name': revision_name(record['name'], 1, template), 'image': record['image']}]


def latest_revision(record):
    return service_revisions(record)[-1]['name']


def spec_traffic(record):
    """The stored traffic, else the applied YAML's spec.traffic, else the API's default."""
    traffic = record.get('traffic') or record['spec'].get('traffic')
    return copy.deepcopy(traffic or [{'latestRevision': True, 'percent': 100}])


def traffic_key(target):
    return LATEST if target.get('latestRevision') else target['revisionName']


def traffic_target(key, percent=0, tag=None):
    target = {'latestRevision': True} if key == LATEST else {'revisionName': key}
    if percent:
        target['percent'] = percent
    if tag:
        target['tag'] = tag
    return target


def normalized_traffic(targets):
    """gcloud's _GetNormalizedTraffic: percentages merged by key, tags on 0% targets."""
    percents, tags = {}, []
    for target in targets:
        key = traffic_key(target)
        if target.get('tag'):
            tags.append(traffic_target(key, tag=target['tag']))
        if target.get('percent'):
            percents[key] = percents.get(key, 0) + target['percent']
    return percents, tags


def update_tags(targets, to_update, to_remove, clear_others):
    kept = []
    for target in targets:
        target = dict(target)
        if clear_others or target.get('tag') in to_remove or target.get('tag') in to_update:
            target.pop('tag', None)
        if target.get('percent') or target.get('tag'):
            kept.append(target)
    for tag, key in sorted(to_update.items()):
        kept.append(traffic_target(key, tag=tag))
    return kept


def update_percentages(targets, new):
    """gcloud's TrafficTargets.UpdateTraffic (its rounding included)."""
    percents, tags = normalized_traffic(targets)
    if sum(percents.values()) != 100:
        raise ApiError('FAILED_PRECONDITION', f'Current traffic allocation of '
                       f'{sum(percents.values())} is not 100 percent')
    unassigned = {k: p for k, p in percents.items() if k not in new}
    specified = sum(new.values())
    if specified > 100:
        raise ApiError('INVALID_ARGUMENT', 'Over 100% of traffic is specified.')
    if not unassigned and specified < 100:
        raise ApiError('INVALID_ARGUMENT', 'Every target with traffic is updated but 100% of '
                       'traffic has not been specified.')
    floats = {k: float(v) for k, v in new.items()}
    rest = 100 - specified
    if rest:
        total = sum(unassigned.values())
        floats.update({k: p * rest / total for k, p in unassigned.items()})
    ints = {k: int(v) for k, v in floats.items()}
    loss = int(round(sum(floats.values()))) - sum(ints.values())
    # gcloud's NewRoundingCorrectionPrecedence: the largest fraction first, then the smaller
    # share, then LATEST, then by name.
    order = sorted(floats.items(),
                   key=lambda kv: (1 - (kv[1] - int(kv[1])), kv[1], kv[0] != LATEST, kv[0]))
    for key, _ in order[:loss]:
        ints[key] += 1
    result = [traffic_target(k, p) for k, p in ints.items()
              if not (k in new and new[k] == 0) and p]
    result.sort(key=lambda t: (traffic_key(t) != LATEST, traffic_key(t)))
    return result + tags


def check_traffic(record, targets):
    names = {r['name'] for r in service_revisions(record)}
    seen = set()
    for target in targets:
        key = traffic_key(target)
        if key != LATEST and key not in names:
            raise ApiError('NOT_FOUND', f'Revision named [{key}] with traffic target not found '
                           f'in service [{record["name"]}]')
        tag = target.get('tag')
        if tag is not None:
            if tag in seen:
                raise ApiError('INVALID_ARGUMENT', f'tag [{tag}] is given to two traffic targets')
            seen.add(tag)
    if sum(t.get('percent', 0) for t in targets) != 100:
        raise ApiError('INVALID_ARGUMENT', 'traffic percentages must add up to 100')


def status_traffic(record):
    """status.traffic: every target with its revision resolved, tagged ones with their URL."""
    latest = latest_revision(record)
    out = []
    for target in spec_traffic(record):
        item = {'revisionName': target.get('revisionName', latest)}
        if target.get('latestRevision'):
            item['latestRevision'] = True
        if target.get('percent'):
            item['percent'] = target['percent']
        if target.get('tag'):
            item['tag'] = target['tag']
            item['url'] = (f'https://{target["tag"]}---{record["name"]}-'
                           f'{digest(record["project"], length=10)}-{record["region"]}'
                           '.fake.run.app')
        out.append(item)
    return out


def revision_status(record, view):
    """Adds the traffic and the revisions to a service's describe output."""
    latest = latest_revision(record)
    view['spec']['traffic'] = spec_traffic(record)
    view['status']['traffic'] = status_traffic(record)
    view['status']['latestCreatedRevisionName'] = latest
    view['status']['latestReadyRevisionName'] = latest
    return view


def parse_assignments(ctx, flag, numbers):
    """`A=1,B=2` (numbers) or `TAG=REVISION` pairs."""
    text = ctx.args.get(flag)
    pairs = {}
    for item in text.split(','):
        key, eq, value = item.partition('=')
        if not key or not eq or not value:
            raise UsageError(f'({ctx.args.where}) argument --{flag}: Bad syntax for dict arg: '
                             f'[{item}]')
        if numbers:
            if not re.fullmatch(r'[0-9]+', value) or int(value) > 100:
                raise UsageError(f'({ctx.args.where}) argument --{flag}: Value must be an '
                                 f'integer from 0 to 100; received: {value}')
            value = int(value)
        pairs[key] = value
    return pairs


def h_run_deploy(ctx):
    region = check_region(ctx)
    name = ctx.args.positionals[0]
    image = ctx.args.get('image')
    record = ctx.state.find('run.service', name, region)
    if record is None:
        if ctx.args.get('no-traffic'):
            raise ApiError('FAILED_PRECONDITION',
                           '--no-traffic not supported when creating a new service.')
        raise UsageError(f'({ctx.args.where}) the fake deploys new revisions of existing '
                         'services only; create services with `run services replace`')
    tag = ctx.args.get('tag')
    if tag is not None and not TAG_RE.match(tag):
        raise invalid(f'--tag: {tag!r} must be lowercase letters, digits and dashes, starting '
                      'with a letter')
    revisions = copy.deepcopy(service_revisions(record))
    previous = revisions[-1]['name']
    template = copy.deepcopy(record['spec']['template'])
    template['spec']['containers'][0]['image'] = image
    new = revision_name(name, len(revisions) + 1, template)
    revisions.append({'name': new, 'image': image})
    traffic = spec_traffic(record)
    if ctx.args.get('no-traffic'):
        # gcloud's ZeroLatestTraffic: LATEST's share goes to the revision that is latest now.
        percents, tags = normalized_traffic(traffic)
        if LATEST in percents:
            share = percents.pop(LATEST)
            percents[previous] = percents.get(previous, 0) + share
        traffic = sorted((traffic_target(k, p) for k, p in percents.items()),
                         key=traffic_key) + tags
    if tag is not None:
        traffic = update_tags(traffic, {tag: new}, (), False)
    record['spec']['template'] = template
    record['image'] = image
    record['revisions'] = revisions
    record['traffic'] = traffic
    check_traffic(record, traffic)
    ctx.state.changed = True
    ctx.err(f'Service [{name}] revision [{new}] has been deployed and is serving '
            f'{sum(t.get("percent", 0) for t in status_traffic(record) if t["revisionName"] == new)}'
            ' percent of traffic.')


def h_run_update_traffic(ctx):
    check_region(ctx)
    args = ctx.args
    given = [f for f in ('to-latest', 'to-revisions', 'to-tags') if args.get(f) is not None]
    if len(given) > 1:
        raise UsageError(f'({args.where}) argument --{given[0]}: At most one of --to-latest | '
                         '--to-revisions | --to-tags may be specified.')
    tag_flags = [f for f in ('update-tags', 'set-tags', 'remove-tags', 'clear-tags')
                 if args.get(f) is not None]
    if len(tag_flags) > 1 and 'remove-tags' not in tag_flags:
        raise UsageError(f'({args.where}) argument --{tag_flags[0]}: At most one of '
                         '--clear-tags | --set-tags | --update-tags may be specified.')
    if not given and not tag_flags:
        raise ApiError('INVALID_ARGUMENT', 'No traffic configuration change requested.')
    record = find_service(ctx)
    traffic = spec_traffic(record)
    if tag_flags:
        to_update = {}
        for flag in ('update-tags', 'set-tags'):
            if args.get(flag) is not None:
                to_update = parse_assignments(ctx, flag, numbers=False)
        for tag, key in to_update.items():
            if not TAG_RE.match(tag):
                raise invalid(f'tag {tag!r} must be lowercase letters, digits and dashes')
            if key == LATEST:
                to_update[tag] = latest_revision(record)
        to_remove = [t for t in (args.get('remove-tags') or '').split(',') if t]
        clear = bool(args.get('clear-tags')) or args.get('set-tags') is not None
        traffic = update_tags(traffic, to_update, to_remove, clear)
    if given:
        if given[0] == 'to-latest':
            new = {LATEST: 100}
        else:
            new = parse_assignments(ctx, given[0], numbers=True)
            if given[0] == 'to-tags':
                keys = {t['tag']: traffic_key(t) for t in traffic if t.get('tag')}
                for tag in new:
                    if tag not in keys:
                        raise ApiError('FAILED_PRECONDITION', f'There is no revision tagged '
                                       f'with [{tag}] in the traffic allocation for '
                                       f'[{record["name"]}].')
                new = {keys[t]: p for t, p in new.items()}
        traffic = update_percentages(traffic, new)
    check_traffic(record, traffic)
    revisions = service_revisions(record)
    record['revisions'] = copy.deepcopy(revisions)
    record['traffic'] = traffic
    ctx.state.changed = True
    ctx.err(f'Updated traffic of service [{record["name"]}].')
    ctx.show(revision_status(record, service_view(record)), default=None)


def access_token(project):
    return f'ya29.fake-{digest("token", project, length=24)}'


def h_auth_print_access_token(ctx):
    ctx.stdout.append(access_token(ctx.project) + '\n')


# ---- compute network-endpoint-groups ----------------------------------------------------------

NEG_TYPES = ('gce-vm-ip-port', 'internet-ip-port', 'internet-fqdn-port', 'serverless',
             'private-service-connect', 'non-gcp-private-ip-port', 'gce-vm-ip', 'portmap')


def h_neg_create(ctx):
    name = ctx.args.positionals[0]
    region = check_region(ctx)
    kind = ctx.args.get('network-endpoint-type')
    if kind not in NEG_TYPES:
        raise UsageError(f'({ctx.args.where}) argument --network-endpoint-type: Invalid choice: '
                         f'{kind!r}.')
    if kind != 'serverless':
        raise UsageError(f'({ctx.args.where}) --network-endpoint-type={kind}: the fake supports '
                         'serverless NEGs only')
    service = ctx.args.get('cloud-run-service')
    if service is None:
        raise UsageError(f'({ctx.args.where}) argument --cloud-run-service: Must be specified '
                         '(the fake supports Cloud Run serverless NEGs only).')
    check_compute_name(name, 'network endpoint group')
    if ctx.state.find('compute.networkEndpointGroup', name, region):
        raise already_exists(ctx, 'compute.networkEndpointGroup', name, region)
    record = {'type': 'compute.networkEndpointGroup', 'name': name, 'region': region,
              'project': ctx.project, 'networkEndpointType': 'SERVERLESS',
              'cloudRun': {'service': service}}
    ctx.state.put(record)
    compute_created(ctx, record)


def h_neg_describe(ctx):
    compute_describe(ctx, 'compute.networkEndpointGroup', check_region(ctx))


def h_neg_delete(ctx):
    compute_delete(ctx, 'compute.networkEndpointGroup', check_region(ctx))


def h_neg_list(ctx):
    compute_list(ctx, 'compute.networkEndpointGroup')


# ---- compute backend-services ------------------------------------------------------------------

BACKEND_SERVICE_KEYS = (
    'COMMENT', 'UNKNOWN', 'affinityCookieTtlSec', 'backends', 'cdnPolicy', 'circuitBreakers',
    'compressionMode', 'connectionDraining', 'connectionTrackingPolicy', 'consistentHash',
    'customMetrics', 'customRequestHeaders', 'customResponseHeaders', 'description', 'enableCDN',
    'externalManagedMigrationState', 'externalManagedMigrationTestingPercentage',
    'failoverPolicy', 'fingerprint', 'haPolicy', 'healthChecks', 'iap',
    'ipAddressSelectionPolicy', 'loadBalancingScheme', 'localityLbPolicies', 'localityLbPolicy',
    'logConfig', 'maxStreamDuration', 'metadatas', 'name', 'network',
    'networkPassThroughLbTrafficPolicy', 'orchestrationInfo', 'outlierDetection', 'params',
    'port', 'portName', 'protocol', 'securitySettings', 'serviceBindings', 'serviceLbPolicy',
    'sessionAffinity', 'strongSessionAffinityCookie', 'subsetting', 'timeoutSec', 'tlsSettings',
)
BACKEND_KEYS = (
    'COMMENT', 'UNKNOWN', 'balancingMode', 'capacityScaler', 'customMetrics', 'description',
    'failover', 'group', 'maxConnections', 'maxConnectionsPerEndpoint',
    'maxConnectionsPerInstance', 'maxInFlightRequests', 'maxInFlightRequestsPerEndpoint',
    'maxInFlightRequestsPerInstance', 'maxRate', 'maxRatePerEndpoint', 'maxRatePerInstance',
    'maxUtilization', 'orchestrationInfo', 'preference', 'trafficDuration',
)
SERVERLESS_REFUSED_BACKEND_KEYS = (
    'balancingMode', 'capacityScaler', 'maxConnections', 'maxConnectionsPerEndpoint',
    'maxConnectionsPerInstance', 'maxInFlightRequests', 'maxInFlightRequestsPerEndpoint',
    'maxInFlightRequestsPerInstance', 'maxRate', 'maxRatePerEndpoint', 'maxRatePerInstance',
    'maxUtilization', 'customMetrics',
)
# Fields `backend-services import` clears when the file leaves them out (the rest patch).
BACKEND_SERVICE_CLEARED = (
    'securitySettings', 'localityLbPolicy', 'localityLbPolicies', 'circuitBreakers',
    'consistentHash', 'outlierDetection', 'customRequestHeaders', 'customResponseHeaders',
    'cdnPolicy', 'iap',
)
SCHEMES = ('EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED')
INPUT_ONLY = ('COMMENT', 'UNKNOWN', 'fingerprint', 'params', 'name')


def import_document(ctx, path, allowed, what):
    doc = load_yaml(read_source(path, 'file'), path, ctx.args.where)
    if not isinstance(doc, dict):
        raise invalid(f'{path}: a {what} must be a mapping')
    check_keys(doc, allowed, f'{path} ({what})')
    name = ctx.args.positionals[0]
    if 'name' in doc and doc['name'] != name:
        raise invalid(f"{path}: the file's name {doc['name']!r} differs from {name!r} (gcloud "
                      'only warns, then creates or patches diverging resources)')
    return doc


def h_backend_import(ctx):
    need_scope_global(ctx)
    name = ctx.args.positionals[0]
    path = ctx.args.get('source')
    doc = import_document(ctx, path, BACKEND_SERVICE_KEYS, 'backend service')
    check_compute_name(name, 'backend service')
    old = ctx.state.find('compute.backendService', name)
    if old is None and 'name' not in doc:
        raise invalid(f"{path}: Required field 'resource.name' not specified")
    new = {k: copy.deepcopy(v) for k, v in doc.items() if k not in INPUT_ONLY}
    if new.get('backends') == []:
        del new['backends']  # an empty list is not sent: the patch keeps the old backends
    if old is None:
        fields = new
        fields.setdefault('loadBalancingScheme', 'EXTERNAL')
    else:
        fields = {k: copy.deepcopy(v) for k, v in old.items()
                  if k not in ('type', 'name', 'region', 'project')}
        for key in BACKEND_SERVICE_CLEARED:
            if key not in new:
                fields.pop(key, None)
        if ('loadBalancingScheme' in new
                and new['loadBalancingScheme'] != old.get('loadBalancingScheme')):
            raise invalid(f"Invalid value for field 'resource.loadBalancingScheme': "
                          f"{new['loadBalancingScheme']!r}. The load balancing scheme of backend "
                          f"service {name!r} ({old.get('loadBalancingScheme')}) cannot be changed")
        fields.update(new)
    scheme = fields.get('loadBalancingScheme')
    if scheme not in SCHEMES:
        raise invalid(f"Invalid value for field 'resource.loadBalancingScheme': {scheme!r}")
    if scheme == 'INTERNAL':
        raise invalid("Invalid value for field 'resource.loadBalancingScheme': 'INTERNAL'. "
                      'INTERNAL backend services are regional')
    backends = fields.get('backends', [])
    if not isinstance(backends, list):
        raise invalid(f'{path}: backends must be a list')
    groups = []
    for n, backend in enumerate(backends):
        if not isinstance(backend, dict):
            raise invalid(f'{path}: backends[{n}] must be a mapping')
        check_keys(backend, BACKEND_KEYS, f'{path} backends[{n}]')
        backend.pop('COMMENT', None)
        backend.pop('UNKNOWN', None)
        group = backend.get('group')
        if not isinstance(group, str):
            raise invalid(f"Required field 'resource.backends[{n}].group' not specified")
        parsed = parse_compute_url(group, allow_partial=False)
        if parsed is None or parsed[2] != 'networkEndpointGroups' or parsed[1] is None:
            raise invalid(f"Invalid value for field 'resource.backends[{n}].group': {group!r}. "
                          'The fake supports regional serverless NEG backends, given by their '
                          'full URL (https://www.googleapis.com/compute/v1/projects/P/regions/R/'
                          'networkEndpointGroups/N)')
        project, region, _, neg_name = parsed
        neg = ctx.state.find('compute.networkEndpointGroup', neg_name, region)
        if neg is None or project != ctx.project:
            raise not_found(f"'projects/{project}/regions/{region}/networkEndpointGroups/"
                            f"{neg_name}'")
        link = record_link(neg)
        if link in groups:
            raise invalid(f"Invalid value for field 'resource.backends[{n}].group': duplicate "
                          f'backend {link}')
        groups.append(link)
        backend['group'] = link
        refused = [k for k in SERVERLESS_REFUSED_BACKEND_KEYS if k in backend]
        if refused:
            raise invalid(f"Invalid value for field 'resource.backends[{n}]': "
                          f'{", ".join(refused)} cannot be set for Serverless network endpoint '
                          'group backends (they accept no balancing mode or capacity setting)')
    if groups:
        if fields.get('healthChecks'):
            raise invalid('A backend service cannot have a healthcheck with Serverless network '
                          'endpoint group backends.')
        if 'timeoutSec' in fields:
            raise invalid("Invalid value for field 'resource.timeoutSec': timeoutSec cannot be "
                          'set for a backend service with Serverless network endpoint group '
                          'backends (it is fixed at 60 minutes)')
    if 'outlierDetection' in fields and scheme not in ('EXTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED'):
        raise invalid(f"Invalid value for field 'resource.outlierDetection': outlier detection "
                      f'is not supported for the {scheme} load balancing scheme of a global '
                      'backend service')
    record = {'type': 'compute.backendService', 'name': name, 'region': None,
              'project': ctx.project}
    record.update(fields)
    ctx.state.put(record)
    check_lb_schemes(ctx.state)
    compute_created(ctx, record, 'Created' if old is None else 'Updated')


def h_backend_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.backendService')


def h_backend_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.backendService')


def h_backend_list(ctx):
    compute_list(ctx, 'compute.backendService')


def h_backend_update(ctx):
    """`backend-services update --security-policy=P` (empty: detach); the fake takes no other
    update flag."""
    need_scope_global(ctx)
    record = compute_find(ctx, 'compute.backendService', ctx.args.positionals[0])
    policy = ctx.args.get('security-policy')
    if policy is None:
        raise UsageError(f'({ctx.args.where}) the fake takes only --security-policy')
    if policy == '':
        record.pop('securityPolicy', None)
    else:
        target = resolve_global(ctx, policy, 'compute.securityPolicy', '--security-policy')
        if target.get('policyType') != 'CLOUD_ARMOR':
            raise invalid(f"Invalid value for field 'securityPolicy': a backend service takes a "
                          f"CLOUD_ARMOR policy, not {target.get('policyType')}")
        record['securityPolicy'] = record_link(target)
    ctx.state.put(record)
    compute_created(ctx, record, 'Updated')


# ---- compute security-policies -----------------------------------------------------------------

SECURITY_POLICY_KEYS = ('adaptiveProtectionConfig', 'advancedOptionsConfig', 'description',
                        'name', 'rules', 'type')
SECURITY_RULE_KEYS = ('action', 'description', 'match', 'preview', 'priority',
                      'rateLimitOptions')
RULE_ACTIONS = ('allow', 'deny(403)', 'deny(404)', 'deny(502)', 'throttle', 'rate_based_ban')
EXCEED_ACTIONS = ('deny(403)', 'deny(404)', 'deny(429)', 'deny(502)')
DEFAULT_PRIORITY = 2147483647


def check_security_rule(rule, n, path):
    if not isinstance(rule, dict):
        raise invalid(f'{path}: rules[{n}] must be a mapping')
    check_keys(rule, SECURITY_RULE_KEYS, f'{path} rules[{n}]')
    where = f"'resource.rules[{n}]"
    priority = rule.get('priority')
    if not isinstance(priority, int) or not 0 <= priority <= DEFAULT_PRIORITY:
        raise invalid(f"Invalid value for field {where}.priority': {priority!r}")
    action = rule.get('action')
    if action not in RULE_ACTIONS:
        raise invalid(f"Invalid value for field {where}.action': {action!r}")
    match = rule.get('match')
    if not isinstance(match, dict) or not (match.get('expr') or match.get('config')):
        raise invalid(f"Required field {where}.match' not specified")
    if match.get('config') and match.get('versionedExpr') != 'SRC_IPS_V1':
        raise invalid(f"Invalid value for field {where}.match.versionedExpr'")
    limited = action in ('throttle', 'rate_based_ban')
    options = rule.get('rateLimitOptions')
    if limited != (options is not None):
        raise invalid(f"Invalid value for field {where}.rateLimitOptions': rate limit options "
                      'are required for, and only for, the throttle and rate_based_ban actions')
    if options is not None:
        threshold = options.get('rateLimitThreshold') or {}
        if not isinstance(threshold.get('count'), int) or not isinstance(
                threshold.get('intervalSec'), int):
            raise invalid(f"Required field {where}.rateLimitOptions.rateLimitThreshold' not "
                          'specified')
        if options.get('conformAction') != 'allow':
            raise invalid(f"Invalid value for field {where}.rateLimitOptions.conformAction'")
        if options.get('exceedAction') not in EXCEED_ACTIONS:
            raise invalid(f"Invalid value for field {where}.rateLimitOptions.exceedAction'")
        if 'banDurationSec' in options and action != 'rate_based_ban':
            raise invalid(f"Invalid value for field {where}.rateLimitOptions.banDurationSec': "
                          'only for the rate_based_ban action')


def h_security_policy_create(ctx):
    need_scope_global(ctx)
    name = ctx.args.positionals[0]
    path = ctx.args.get('file-name')
    doc = load_yaml(read_source(path, 'file'), path, ctx.args.where)
    if not isinstance(doc, dict):
        raise invalid(f'{path}: a security policy must be a mapping')
    check_keys(doc, SECURITY_POLICY_KEYS, f'{path} (security policy)')
    check_compute_name(name, 'security policy')
    if ctx.state.find('compute.securityPolicy', name):
        raise already_exists(ctx, 'compute.securityPolicy', name)
    rules = doc.get('rules') or []
    priorities = []
    for n, rule in enumerate(rules):
        check_security_rule(rule, n, path)
        if rule['priority'] in priorities:
            raise invalid(f"Invalid value for field 'resource.rules[{n}].priority': "
                          f"{rule['priority']} is used by another rule")
        priorities.append(rule['priority'])
    if rules and DEFAULT_PRIORITY not in priorities:
        raise invalid('A security policy must have a default rule (priority 2147483647)')
    record = {'type': 'compute.securityPolicy', 'name': name, 'region': None,
              'project': ctx.project, 'policyType': doc.get('type', 'CLOUD_ARMOR'),
              'rules': copy.deepcopy(rules)}
    for key in ('description', 'adaptiveProtectionConfig'):
        if key in doc:
            record[key] = copy.deepcopy(doc[key])
    ctx.state.put(record)
    compute_created(ctx, record)


def h_security_policy_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.securityPolicy')


def h_security_policy_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.securityPolicy')


def h_security_policy_list(ctx):
    compute_list(ctx, 'compute.securityPolicy')


# ---- compute url-maps --------------------------------------------------------------------------

URL_MAP_KEYS = ('COMMENT', 'UNKNOWN', 'defaultCustomErrorResponsePolicy', 'defaultRouteAction',
                'defaultService', 'defaultUrlRedirect', 'description', 'fingerprint',
                'headerAction', 'hostRules', 'name', 'pathMatchers', 'tests')
REDIRECT_CODES = ('MOVED_PERMANENTLY_DEFAULT', 'FOUND', 'SEE_OTHER', 'TEMPORARY_REDIRECT',
                  'PERMANENT_REDIRECT')


def normalize_service_refs(ctx, value, where='resource'):
    """Rewrites every backend service reference to its full URL; NOT_FOUND if one is missing."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SERVICE_REF_KEYS and isinstance(item, str):
                parsed = parse_compute_url(item, allow_partial=True)
                if parsed is None and re.fullmatch(r'global/backendServices/[^/]+', item):
                    parsed = (ctx.project, None, 'backendServices', item.split('/')[-1])
                if parsed is None or parsed[2] != 'backendServices' or parsed[1] is not None:
                    raise invalid(f"Invalid value for field '{where}.{key}': {item!r}. The fake "
                                  'supports global backend service references only')
                record = ctx.state.find('compute.backendService', parsed[3])
                if record is None or parsed[0] != ctx.project:
                    raise not_found(f"'projects/{parsed[0]}/global/backendServices/{parsed[3]}'")
                value[key] = record_link(record)
            else:
                normalize_service_refs(ctx, item, f'{where}.{key}')
    elif isinstance(value, list):
        for n, item in enumerate(value):
            normalize_service_refs(ctx, item, f'{where}[{n}]')


def h_url_map_import(ctx):
    need_scope_global(ctx)
    name = ctx.args.positionals[0]
    path = ctx.args.get('source')
    doc = import_document(ctx, path, URL_MAP_KEYS, 'URL map')
    check_compute_name(name, 'URL map')
    old = ctx.state.find('compute.urlMap', name)
    if old is None and 'name' not in doc:
        raise invalid(f"{path}: Required field 'resource.name' not specified")
    fields = {k: copy.deepcopy(v) for k, v in doc.items() if k not in INPUT_ONLY}
    if old is not None and 'defaultCustomErrorResponsePolicy' not in fields \
            and 'defaultCustomErrorResponsePolicy' in old:
        fields['defaultCustomErrorResponsePolicy'] = copy.deepcopy(
            old['defaultCustomErrorResponsePolicy'])
    normalize_service_refs(ctx, fields)
    route = fields.get('defaultRouteAction')
    if route is not None and not isinstance(route, dict):
        raise invalid("Invalid value for field 'resource.defaultRouteAction'")
    weighted = (route or {}).get('weightedBackendServices') or []
    if fields.get('defaultService') and weighted:
        raise invalid("Invalid value for field 'resource.defaultService': if defaultService is "
                      'set, defaultRouteAction cannot contain any weightedBackendServices')
    if fields.get('defaultUrlRedirect') and (fields.get('defaultService') or route):
        raise invalid("Invalid value for field 'resource.defaultUrlRedirect': if "
                      'defaultUrlRedirect is specified, defaultService or defaultRouteAction '
                      'must not be set')
    if not (fields.get('defaultService') or weighted or fields.get('defaultUrlRedirect')):
        raise invalid('A URL map needs a default: defaultService, '
                      'defaultRouteAction.weightedBackendServices or defaultUrlRedirect')
    for n, item in enumerate(weighted):
        if not isinstance(item, dict) or 'backendService' not in item:
            raise invalid(f"Required field 'resource.defaultRouteAction.weightedBackendServices"
                          f"[{n}].backendService' not specified")
        weight = item.get('weight')
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 1000:
            raise invalid(f"Invalid value for field 'resource.defaultRouteAction."
                          f"weightedBackendServices[{n}].weight': {weight!r}. Must be an "
                          'integer from 0 to 1000')
        service = find_by_link(ctx.state, item['backendService'])
        if service.get('loadBalancingScheme') != 'EXTERNAL_MANAGED':
            raise invalid(f"Invalid value for field 'resource.defaultRouteAction."
                          f"weightedBackendServices[{n}].backendService': weighted backend "
                          f'services need the EXTERNAL_MANAGED load balancing scheme, and '
                          f'{record_relative(service)} is '
                          f'{service.get("loadBalancingScheme")}')
    redirect = fields.get('defaultUrlRedirect')
    if redirect is not None:
        if not isinstance(redirect, dict):
            raise invalid("Invalid value for field 'resource.defaultUrlRedirect'")
        code = redirect.get('redirectResponseCode')
        if code is not None and code not in REDIRECT_CODES:
            raise invalid(f"Invalid value for field 'resource.defaultUrlRedirect."
                          f"redirectResponseCode': {code!r}")
    record = {'type': 'compute.urlMap', 'name': name, 'region': None, 'project': ctx.project}
    record.update(fields)
    ctx.state.put(record)
    check_lb_schemes(ctx.state)
    compute_created(ctx, record, 'Created' if old is None else 'Updated')


def h_url_map_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.urlMap')


def h_url_map_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.urlMap')


def h_url_map_list(ctx):
    compute_list(ctx, 'compute.urlMap')


# ---- compute addresses -------------------------------------------------------------------------


def allocate_ip(state, name, prefix, used):
    start = int(digest(name, length=8), 16) % 254
    for k in range(254):
        candidate = f'{prefix}{(start + k) % 254 + 1}'
        if candidate not in used:
            return candidate
    raise ApiError('RESOURCE_EXHAUSTED', 'the fake has no free address left')


def h_address_create(ctx):
    need_scope_global(ctx)
    name = ctx.args.positionals[0]
    version = ctx.args.get('ip-version', 'IPV4')
    tier = ctx.args.get('network-tier', 'PREMIUM')
    if version not in ('IPV4', 'IPV6'):
        raise UsageError(f"({ctx.args.where}) argument --ip-version: Invalid choice: '{version}'.")
    if tier not in ('PREMIUM', 'STANDARD'):
        raise UsageError(f"({ctx.args.where}) argument --network-tier: Invalid choice: '{tier}'.")
    check_compute_name(name, 'address')
    if ctx.state.find('compute.globalAddress', name):
        raise already_exists(ctx, 'compute.globalAddress', name)
    if tier != 'PREMIUM':
        raise invalid("Invalid value for field 'resource.networkTier': 'STANDARD'. A global "
                      'address must be in the PREMIUM network tier')
    used = {r['address'] for r in ctx.state.of_type('compute.globalAddress')}
    prefix = '203.0.113.' if version == 'IPV4' else '2001:db8::'
    ip = allocate_ip(ctx.state, name, prefix, used)
    record = {'type': 'compute.globalAddress', 'name': name, 'region': None,
              'project': ctx.project, 'address': ip, 'ipVersion': version,
              'networkTier': tier, 'addressType': 'EXTERNAL'}
    ctx.state.put(record)
    compute_created(ctx, record)


def h_address_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.globalAddress')


def h_address_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.globalAddress')


def h_address_list(ctx):
    compute_list(ctx, 'compute.globalAddress')


# ---- compute ssl-certificates ------------------------------------------------------------------

CERT_STATUSES = ('PROVISIONING', 'ACTIVE', 'RENEWAL_FAILED', 'PROVISIONING_FAILED',
                 'PROVISIONING_FAILED_PERMANENTLY')
DOMAIN_RE = re.compile(r'(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}'
                       r'[a-z0-9])?$', re.IGNORECASE)


PEM_CERTIFICATE_RE = re.compile(r'-----BEGIN CERTIFICATE-----\n(?P<body>[A-Za-z0-9+/=\n]+)\n'
                                r'-----END CERTIFICATE-----')
PEM_KEY_RE = re.compile(r'-----BEGIN (RSA |EC )?PRIVATE KEY-----\n(?P<body>[A-Za-z0-9+/=\n]+)\n'
                        r'-----END (RSA |EC )?PRIVATE KEY-----')


def pem_block(text, pattern, what):
    """The DER of the first PEM block of `text` that `pattern` matches; the API refuses a file
    without one, or whose content is not base64 of a DER SEQUENCE."""
    match = pattern.search(text)
    try:
        der = base64.b64decode(match.group('body').replace('\n', ''),
                               validate=True) if match else b''
    except ValueError:
        der = b''
    if not der.startswith(b'\x30'):
        raise invalid(f"Invalid value for field 'resource.{what}': not a PEM-encoded {what}")
    return der


def h_cert_create(ctx):
    need_scope_global(ctx)
    name = ctx.args.positionals[0]
    certificate, private_key = ctx.args.get('certificate'), ctx.args.get('private-key')
    if ctx.args.get('domains') is not None and (certificate or private_key):
        raise UsageError(f'({ctx.args.where}) argument --domains: At most one of --domains | '
                         '--certificate --private-key must be specified.')
    if ctx.args.get('domains') is None:
        if not (certificate or private_key):
            raise UsageError(f'({ctx.args.where}) Exactly one of (--domains | --certificate '
                             '--private-key) must be specified.')
        if not (certificate and private_key):
            missing = '--private-key' if certificate else '--certificate'
            raise UsageError(f'({ctx.args.where}) argument {missing}: Must be specified.')
        return create_self_managed_certificate(ctx, name, certificate, private_key)
    status = os.environ.get('FAKECLOUD_CERT_STATUS', 'ACTIVE')
    if status not in CERT_STATUSES:
        raise UsageError(f'FAKECLOUD_CERT_STATUS={status!r} is not one of '
                         + ', '.join(CERT_STATUSES))
    domains = ctx.args.get('domains').split(',')
    check_compute_name(name, 'SSL certificate')
    if ctx.state.find('compute.sslCertificate', name):
        raise already_exists(ctx, 'compute.sslCertificate', name)
    if not 1 <= len(domains) <= 100:
        raise invalid('A Google-managed certificate holds 1 to 100 domains')
    for domain in domains:
        if domain.startswith('*.'):
            raise invalid(f"Invalid value for field 'resource.managed.domains': {domain!r}. "
                          'Wildcard domains are not supported for Google-managed certificates')
        if not DOMAIN_RE.match(domain):
            raise invalid(f"Invalid value for field 'resource.managed.domains': {domain!r} is not "
                          'a fully qualified domain name')
    lowered = [d.lower() for d in domains]
    if len(set(lowered)) != len(lowered):
        raise invalid("Invalid value for field 'resource.managed.domains': duplicate domains")
    record = {'type': 'compute.sslCertificate', 'name': name, 'region': None,
              'project': ctx.project, 'managed': {'domains': domains, 'status': status}}
    ctx.state.put(record)
    compute_created(ctx, record)


def create_self_managed_certificate(ctx, name, certificate_path, key_path):
    """A self-managed certificate, from PEM files, as a user uploads one: the fake keeps the
    certificate's PEM and a digest of it, never the key."""
    check_compute_name(name, 'SSL certificate')
    certificate = read_source(certificate_path, 'certificate')
    key = read_source(key_path, 'private key')
    der = pem_block(certificate, PEM_CERTIFICATE_RE, 'certificate')
    pem_block(key, PEM_KEY_RE, 'privateKey')
    if ctx.state.find('compute.sslCertificate', name):
        raise already_exists(ctx, 'compute.sslCertificate', name)
    record = {'type': 'compute.sslCertificate', 'name': name, 'region': None,
              'project': ctx.project,
              'selfManaged': {'certificate': certificate.strip() + '\n',
                              'sha256': hashlib.sha256(der).hexdigest()}}
    ctx.state.put(record)
    compute_created(ctx, record)


def h_cert_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.sslCertificate')


def h_cert_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.sslCertificate')


def h_cert_list(ctx):
    compute_list(ctx, 'compute.sslCertificate')


# ---- certificate-manager ------------------------------------------------------------------------
# Everything in location global (the only one the global external Application Load Balancer
# uses). A DNS authorization covers a domain and its wildcard; a Google-managed certificate with
# DNS authorizations needs one covering each of its domains, and only such a certificate may hold
# a wildcard; a map entry names a hostname (or is the primary entry) and 1 to 4 certificates.

CM_STATES = {'ACTIVE': 'ACTIVE', 'PROVISIONING': 'PROVISIONING'}
CM_NAME_RE = re.compile(r'[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')


def cm_name(record):
    collection = CM_TYPES[record['type']]
    name = record['name']
    if record['type'] == 'certificatemanager.certificateMapEntry':
        map_name, name = name.split('/', 1)
        return (f"projects/{record['project']}/locations/global/certificateMaps/{map_name}/"
                f"{collection}/{name}")
    return f"projects/{record['project']}/locations/global/{collection}/{name}"


def cm_location(ctx):
    location = ctx.args.get('location', 'global')
    if location != 'global':
        raise invalid(f'--location={location}: the fake keeps Certificate Manager in global only')


def cm_check_name(name, what):
    if not CM_NAME_RE.match(name):
        raise invalid(f'{what} name {name!r}: lowercase letters, digits and hyphens, 1 to 63, '
                      'starting and ending with a letter or digit')


def cm_find(ctx, type_, name):
    cm_location(ctx)
    record = ctx.state.find(type_, name)
    if record is None:
        probe = {'type': type_, 'name': name, 'project': ctx.project}
        raise not_found(f"'{cm_name(probe)}'")
    return record


def cm_refs(ctx, type_, value, flag):
    refs = []
    for ref in value.split(','):
        name = ref.rsplit('/', 1)[-1]
        if not ref or ctx.state.find(type_, name) is None:
            probe = {'type': type_, 'name': name or '?', 'project': ctx.project}
            raise not_found(f"'{cm_name(probe)}' ({flag})")
        refs.append(name)
    return refs


def cm_users(state, record):
    t = record['type']
    if t == 'certificatemanager.dnsAuthorization':
        return [c for c in state.of_type('certificatemanager.certificate')
                if record['name'] in c.get('dnsAuthorizations', [])]
    if t == 'certificatemanager.certificate':
        return [e for e in state.of_type('certificatemanager.certificateMapEntry')
                if record['name'] in e['certificates']]
    if t == 'certificatemanager.certificateMap':
        link = '//certificatemanager.googleapis.com/' + cm_name(record)
        entries = [e for e in state.of_type('certificatemanager.certificateMapEntry')
                   if e['name'].split('/', 1)[0] == record['name']]
        return [p for p in state.of_type('compute.targetHttpsProxy')
                if p.get('certificateMap') == link] + entries
    return []


def cm_view(record, state):
    view = {k: copy.deepcopy(v) for k, v in record.items()
            if k not in ('type', 'region', 'project', 'name')}
    view['name'] = cm_name(record)
    view['createTime'] = '2020-01-01T00:00:00.000000000Z'
    t = record['type']
    project = record['project']
    if t == 'certificatemanager.dnsAuthorization':
        domain = record['domain']
        view['dnsResourceRecord'] = {
            'name': f'_acme-challenge.{domain}.',
            'type': 'CNAME',
            'data': f"{digest(project, domain, length=12)}.4.authorize.certificatemanager.goog.",
        }
    elif t == 'certificatemanager.certificate':
        managed = view.pop('managed')
        managed['dnsAuthorizations'] = [
            f'projects/{project}/locations/global/dnsAuthorizations/{a}'
            for a in view.pop('dnsAuthorizations', [])]
        view['managed'] = managed
        view['sanDnsnames'] = list(managed['domains'])
        view['scope'] = 'DEFAULT'
    elif t == 'certificatemanager.certificateMapEntry':
        view['certificates'] = [f'projects/{project}/locations/global/certificates/{c}'
                                for c in record['certificates']]
        view['state'] = 'ACTIVE'
    elif t == 'certificatemanager.certificateMap':
        link = '//certificatemanager.googleapis.com/' + cm_name(record)
        proxies = [p for p in state.of_type('compute.targetHttpsProxy')
                   if p.get('certificateMap') == link]
        if proxies:
            view['gclbTargets'] = [{'targetHttpsProxy': record_link(p)} for p in proxies]
    return view


def cm_create(ctx, record, what):
    if ctx.state.find(record['type'], record['name']):
        raise ApiError('ALREADY_EXISTS', f"Resource '{cm_name(record)}' already exists")
    ctx.state.put(record)
    ctx.err(f'Created {what} [{record["name"].rsplit("/", 1)[-1]}].')


def cm_delete(ctx, type_, name, what):
    record = cm_find(ctx, type_, name)
    users = cm_users(ctx.state, record)
    if users:
        raise ApiError('FAILED_PRECONDITION', f"Resource '{cm_name(record)}' is still used by "
                       f"'{record_link(users[0])}'")
    ctx.state.remove(record)
    ctx.err(f'Deleted {what} [{name.rsplit("/", 1)[-1]}].')


def cm_list(ctx, type_, keep=lambda record: True):
    cm_location(ctx)
    ctx.show_list([cm_view(r, ctx.state) for r in ctx.state.of_type(type_) if keep(r)])


def h_dns_authorization_create(ctx):
    cm_location(ctx)
    name = ctx.args.positionals[0]
    cm_check_name(name, 'DNS authorization')
    domain = ctx.args.get('domain')
    if domain.startswith('*.') or not DOMAIN_RE.match(domain):
        raise invalid(f'--domain={domain!r}: a DNS authorization takes a domain name (it covers '
                      'the domain and its wildcard)')
    kind = ctx.args.get('type', 'FIXED_RECORD')
    if kind not in ('FIXED_RECORD', 'PER_PROJECT_RECORD'):
        raise invalid(f'--type={kind}: FIXED_RECORD or PER_PROJECT_RECORD')
    cm_create(ctx, {'type': 'certificatemanager.dnsAuthorization', 'name': name, 'region': None,
                    'project': ctx.project, 'domain': domain.lower(), 'dnsType': kind},
              'dns authorization')


def h_dns_authorization_describe(ctx):
    ctx.show(cm_view(cm_find(ctx, 'certificatemanager.dnsAuthorization',
                             ctx.args.positionals[0]), ctx.state))


def h_dns_authorization_list(ctx):
    cm_list(ctx, 'certificatemanager.dnsAuthorization')


def h_dns_authorization_delete(ctx):
    cm_delete(ctx, 'certificatemanager.dnsAuthorization', ctx.args.positionals[0],
              'dns authorization')


def h_cm_certificate_create(ctx):
    cm_location(ctx)
    name = ctx.args.positionals[0]
    cm_check_name(name, 'certificate')
    domains = ctx.args.get('domains').split(',')
    auths = ctx.args.get('dns-authorizations')
    auths = cm_refs(ctx, 'certificatemanager.dnsAuthorization', auths,
                    '--dns-authorizations') if auths is not None else []
    authorized = {ctx.state.find('certificatemanager.dnsAuthorization', a)['domain'] for a in auths}
    if not 1 <= len(domains) <= 100:
        raise invalid('A Google-managed certificate holds 1 to 100 domains')
    if len({d.lower() for d in domains}) != len(domains):
        raise invalid("Invalid value for field 'certificate.managed.domains': duplicate domains")
    for domain in domains:
        bare = domain[2:] if domain.startswith('*.') else domain
        if not DOMAIN_RE.match(bare):
            raise invalid(f"Invalid value for field 'certificate.managed.domains': {domain!r}")
        if domain.startswith('*.') and not auths:
            raise invalid(f'{domain}: a wildcard needs DNS authorization (--dns-authorizations)')
        if auths and bare.lower() not in authorized:
            raise invalid(f'{domain}: no DNS authorization in --dns-authorizations covers it')
    status = os.environ.get('FAKECLOUD_CERT_STATUS', 'ACTIVE')
    if status not in CERT_STATUSES:
        raise UsageError(f'FAKECLOUD_CERT_STATUS={status!r} is not one of '
                         + ', '.join(CERT_STATUSES))
    cm_create(ctx, {'type': 'certificatemanager.certificate', 'name': name, 'region': None,
                    'project': ctx.project, 'dnsAuthorizations': auths,
                    'managed': {'domains': domains, 'state': CM_STATES.get(status, 'FAILED')}},
              'certificate')


def h_cm_certificate_describe(ctx):
    ctx.show(cm_view(cm_find(ctx, 'certificatemanager.certificate', ctx.args.positionals[0]),
                     ctx.state))


def h_cm_certificate_list(ctx):
    cm_list(ctx, 'certificatemanager.certificate')


def h_cm_certificate_delete(ctx):
    cm_delete(ctx, 'certificatemanager.certificate', ctx.args.positionals[0], 'certificate')


def h_map_create(ctx):
    cm_location(ctx)
    name = ctx.args.positionals[0]
    cm_check_name(name, 'certificate map')
    cm_create(ctx, {'type': 'certificatemanager.certificateMap', 'name': name, 'region': None,
                    'project': ctx.project}, 'certificate map')


def h_map_describe(ctx):
    ctx.show(cm_view(cm_find(ctx, 'certificatemanager.certificateMap', ctx.args.positionals[0]),
                     ctx.state))


def h_map_list(ctx):
    cm_list(ctx, 'certificatemanager.certificateMap')


def h_map_delete(ctx):
    cm_delete(ctx, 'certificatemanager.certificateMap', ctx.args.positionals[0],
              'certificate map')


def entry_key(ctx):
    map_name = ctx.args.get('map')
    cm_find(ctx, 'certificatemanager.certificateMap', map_name)
    return f'{map_name}/{ctx.args.positionals[0]}'


def entry_certificates(ctx):
    certs = cm_refs(ctx, 'certificatemanager.certificate', ctx.args.get('certificates'),
                    '--certificates')
    if not 1 <= len(certs) <= 4:
        raise invalid('A certificate map entry takes 1 to 4 certificates')
    return certs


def h_entry_create(ctx):
    key = entry_key(ctx)
    cm_check_name(ctx.args.positionals[0], 'certificate map entry')
    hostname = ctx.args.get('hostname')
    primary = ctx.args.get('set-primary')
    if (hostname is None) == (not primary):
        raise UsageError(f'({ctx.args.where}) Exactly one of (--hostname | --set-primary) must be '
                         'specified.')
    if ctx.args.get('certificates') is None:
        raise invalid('A certificate map entry needs --certificates')
    certs = entry_certificates(ctx)
    map_name = key.split('/', 1)[0]
    siblings = [e for e in ctx.state.of_type('certificatemanager.certificateMapEntry')
                if e['name'].split('/', 1)[0] == map_name]
    if hostname is not None:
        bare = hostname[2:] if hostname.startswith('*.') else hostname
        if not DOMAIN_RE.match(bare):
            raise invalid(f'--hostname={hostname!r} is not a hostname or a wildcard `*.DOMAIN`')
        if any(e.get('hostname') == hostname for e in siblings):
            raise ApiError('ALREADY_EXISTS', f'map {map_name} already has an entry for {hostname}')
    elif any(e.get('matcher') == 'PRIMARY' for e in siblings):
        raise ApiError('ALREADY_EXISTS', f'map {map_name} already has a primary entry')
    record = {'type': 'certificatemanager.certificateMapEntry', 'name': key, 'region': None,
              'project': ctx.project, 'certificates': certs}
    if hostname is not None:
        record['hostname'] = hostname
    else:
        record['matcher'] = 'PRIMARY'
    cm_create(ctx, record, 'certificate map entry')


def h_entry_describe(ctx):
    ctx.show(cm_view(cm_find(ctx, 'certificatemanager.certificateMapEntry', entry_key(ctx)),
                     ctx.state))


def h_entry_list(ctx):
    map_name = ctx.args.get('map')
    cm_find(ctx, 'certificatemanager.certificateMap', map_name)
    cm_list(ctx, 'certificatemanager.certificateMapEntry',
            lambda r: r['name'].split('/', 1)[0] == map_name)


def h_entry_update(ctx):
    record = copy.deepcopy(cm_find(ctx, 'certificatemanager.certificateMapEntry', entry_key(ctx)))
    if ctx.args.get('certificates') is not None:
        record['certificates'] = entry_certificates(ctx)
    ctx.state.put(record)
    ctx.err(f'Updated certificate map entry [{ctx.args.positionals[0]}].')


def h_entry_delete(ctx):
    cm_delete(ctx, 'certificatemanager.certificateMapEntry', entry_key(ctx),
              'certificate map entry')


# ---- compute target-https-proxies and target-http-proxies ---------------------------------------


def proxy_certificates(ctx, value):
    names = value.split(',')
    if not 1 <= len(names) <= 15:
        raise invalid('A target HTTPS proxy takes 1 to 15 SSL certificates')
    links = [record_link(resolve_global(ctx, n, 'compute.sslCertificate', '--ssl-certificates'))
             for n in names]
    if len(set(links)) != len(links):
        raise invalid("Invalid value for field 'resource.sslCertificates': duplicate certificates")
    return links


def proxy_certificate_map(ctx, value):
    name = value.rsplit('/', 1)[-1]
    record = ctx.state.find('certificatemanager.certificateMap', name)
    if record is None:
        raise not_found(f"'projects/{ctx.project}/locations/global/certificateMaps/{name}' "
                        '(--certificate-map)')
    return '//certificatemanager.googleapis.com/' + cm_name(record)


def proxy_create(ctx, type_):
    need_scope_global(ctx)
    name = ctx.args.positionals[0]
    check_compute_name(name, 'target proxy')
    if ctx.state.find(type_, name):
        raise already_exists(ctx, type_, name)
    url_map = resolve_global(ctx, ctx.args.get('url-map'), 'compute.urlMap', '--url-map')
    record = {'type': type_, 'name': name, 'region': None, 'project': ctx.project,
              'urlMap': record_link(url_map)}
    if type_ == 'compute.targetHttpsProxy':
        certs, cert_map = ctx.args.get('ssl-certificates'), ctx.args.get('certificate-map')
        # gcloud takes both (the map wins: the API ignores the certificates then), and leaves
        # a proxy with neither to the API, which the fake refuses as a usage error.
        if certs is None and cert_map is None:
            raise UsageError(f'({ctx.args.where}) argument --ssl-certificates: Must be specified '
                             '(or --certificate-map).')
        if certs is not None:
            record['sslCertificates'] = proxy_certificates(ctx, certs)
        if cert_map is not None:
            record['certificateMap'] = proxy_certificate_map(ctx, cert_map)
    ctx.state.put(record)
    check_lb_schemes(ctx.state)
    compute_created(ctx, record)


def proxy_update(ctx, type_):
    need_scope_global(ctx)
    record = compute_find(ctx, type_, ctx.args.positionals[0])
    url_map = ctx.args.get('url-map')
    certs = ctx.args.get('ssl-certificates')
    cert_map = ctx.args.get('certificate-map')
    clear_certs = ctx.args.get('clear-ssl-certificates')
    clear_map = ctx.args.get('clear-certificate-map')
    given = [f for f, v in (('--ssl-certificates', certs), ('--certificate-map', cert_map),
                            ('--clear-ssl-certificates', clear_certs),
                            ('--clear-certificate-map', clear_map)) if v]
    if url_map is None and not given:
        raise UsageError(f'({ctx.args.where}) At least one of [--url-map, --ssl-certificates, '
                         '--certificate-map, --clear-ssl-certificates, --clear-certificate-map] '
                         'must be specified.')
    if len(given) > 1:
        raise UsageError(f'({ctx.args.where}) argument {given[1]}: At most one of '
                         '--certificate-map | --clear-certificate-map | --clear-ssl-certificates '
                         '| --ssl-certificates may be specified.')
    record = copy.deepcopy(record)
    if url_map is not None:
        record['urlMap'] = record_link(resolve_global(ctx, url_map, 'compute.urlMap', '--url-map'))
    if certs is not None:
        record['sslCertificates'] = proxy_certificates(ctx, certs)
    if cert_map is not None:
        record['certificateMap'] = proxy_certificate_map(ctx, cert_map)
    if clear_certs:
        record.pop('sslCertificates', None)
    if clear_map:
        record.pop('certificateMap', None)
    if type_ == 'compute.targetHttpsProxy' and not (record.get('sslCertificates')
                                                    or record.get('certificateMap')):
        raise invalid('A target HTTPS proxy needs SSL certificates or a certificate map')
    ctx.state.put(record)
    check_lb_schemes(ctx.state)
    compute_created(ctx, record, 'Updated')


def h_https_proxy_create(ctx):
    proxy_create(ctx, 'compute.targetHttpsProxy')


def h_https_proxy_update(ctx):
    proxy_update(ctx, 'compute.targetHttpsProxy')


def h_https_proxy_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.targetHttpsProxy')


def h_https_proxy_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.targetHttpsProxy')


def h_https_proxy_list(ctx):
    compute_list(ctx, 'compute.targetHttpsProxy')


def h_http_proxy_create(ctx):
    proxy_create(ctx, 'compute.targetHttpProxy')


def h_http_proxy_update(ctx):
    proxy_update(ctx, 'compute.targetHttpProxy')


def h_http_proxy_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.targetHttpProxy')


def h_http_proxy_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.targetHttpProxy')


def h_http_proxy_list(ctx):
    compute_list(ctx, 'compute.targetHttpProxy')


# ---- compute forwarding-rules ------------------------------------------------------------------

RULE_SCHEMES = ('EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED',
                'INTERNAL_SELF_MANAGED')


def h_rule_create(ctx):
    need_scope_global(ctx)
    args = ctx.args
    name = args.positionals[0]
    scheme = args.get('load-balancing-scheme', 'EXTERNAL')
    tier = args.get('network-tier', 'PREMIUM')
    if scheme not in RULE_SCHEMES:
        raise UsageError(f"({args.where}) argument --load-balancing-scheme: Invalid choice: "
                         f"'{scheme}'.")
    if scheme not in ('EXTERNAL', 'EXTERNAL_MANAGED'):
        raise UsageError(f'({args.where}) --load-balancing-scheme={scheme}: the fake supports '
                         'external load balancers only (EXTERNAL, EXTERNAL_MANAGED)')
    if tier not in ('PREMIUM', 'STANDARD'):
        raise UsageError(f"({args.where}) argument --network-tier: Invalid choice: '{tier}'.")
    https = args.get('target-https-proxy')
    http = args.get('target-http-proxy')
    if (https is None) == (http is None):
        raise UsageError(f'({args.where}) Exactly one of (--target-http-proxy | '
                         '--target-https-proxy) must be specified.')
    check_compute_name(name, 'forwarding rule')
    if ctx.state.find('compute.forwardingRule', name):
        raise already_exists(ctx, 'compute.forwardingRule', name)
    if tier != 'PREMIUM':
        raise invalid("Invalid value for field 'resource.networkTier': 'STANDARD'. Global "
                      'forwarding rules must be in the PREMIUM network tier')
    if https is not None:
        target = resolve_global(ctx, https, 'compute.targetHttpsProxy', '--target-https-proxy')
        allowed_ports = ('443',)
    else:
        target = resolve_global(ctx, http, 'compute.targetHttpProxy', '--target-http-proxy')
        allowed_ports = ('80', '8080')
    address = args.get('address')
    if address is None:
        used = {r['IPAddress'] for r in ctx.state.of_type('compute.forwardingRule')}
        ip = allocate_ip(ctx.state, name, '198.51.100.', used)
    elif re.fullmatch(r'[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:]*', address):
        match = [a for a in ctx.state.of_type('compute.globalAddress') if a['address'] == address]
        if not match:
            raise not_found(f'address {address!r} (no reserved global address has this IP)')
        ip = address
    else:
        ip = resolve_global(ctx, address, 'compute.globalAddress', '--address')['address']
    ports = args.get('ports')
    if ports is None:
        raise invalid("Invalid value for field 'resource.portRange': ''. A forwarding rule to a "
                      'target proxy needs --ports')
    m = re.fullmatch(r'([0-9]+)(?:-([0-9]+))?', ports)
    if not m or (m.group(2) is not None and m.group(2) != m.group(1)):
        raise invalid(f"Invalid value for field 'resource.portRange': {ports!r}. A forwarding rule "
                      'to a target proxy takes a single port')
    port = m.group(1)
    if port not in allowed_ports:
        raise invalid(f"Invalid value for field 'resource.portRange': {port!r}. A forwarding rule "
                      f'to {record_relative(target)} takes port {" or ".join(allowed_ports)}')
    port_range = f'{port}-{port}'
    for other in ctx.state.of_type('compute.forwardingRule'):
        if other['IPAddress'] == ip and other['portRange'] == port_range:
            raise invalid(f'IP {ip} and port {port} are already used by '
                          f'{record_relative(other)}')
    record = {'type': 'compute.forwardingRule', 'name': name, 'region': None,
              'project': ctx.project, 'IPAddress': ip, 'IPProtocol': 'TCP',
              'portRange': port_range, 'target': record_link(target),
              'loadBalancingScheme': scheme, 'networkTier': tier}
    ctx.state.put(record)
    check_lb_schemes(ctx.state)
    compute_created(ctx, record)


def h_rule_describe(ctx):
    need_scope_global(ctx)
    compute_describe(ctx, 'compute.forwardingRule')


def h_rule_delete(ctx):
    need_scope_global(ctx)
    compute_delete(ctx, 'compute.forwardingRule')


def h_rule_list(ctx):
    compute_list(ctx, 'compute.forwardingRule')


# ---- monitoring dashboards ---------------------------------------------------------------------

DASHBOARD_KEYS = ('name', 'displayName', 'etag', 'gridLayout', 'mosaicLayout', 'rowLayout',
                  'columnLayout', 'dashboardFilters', 'labels', 'annotations')
LAYOUTS = ('gridLayout', 'mosaicLayout', 'rowLayout', 'columnLayout')


class DuplicateKey(Exception):
    pass


def _no_duplicate_keys(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def dashboard_config(ctx):
    path = ctx.args.get('config-from-file')
    text = read_source(path, 'file')
    try:
        config = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except DuplicateKey as e:
        raise invalid(f'{path}: duplicate key {e.args[0]!r} (gcloud reads the file with a YAML '
                      'loader, which refuses duplicate keys)') from None
    except ValueError:
        config = load_yaml(text, path, ctx.args.where)
    if not isinstance(config, dict):
        raise invalid(f'{path}: a dashboard must be an object')
    check_keys(config, DASHBOARD_KEYS, f'{path} (dashboard)')
    if not isinstance(config.get('displayName'), str) or not config['displayName']:
        raise invalid(f'{path}: displayName is required')
    layouts = [k for k in LAYOUTS if k in config]
    if len(layouts) > 1:
        raise invalid(f'{path}: a dashboard has at most one layout, not {", ".join(layouts)}')
    check_string_map(config.get('labels'), 'labels')
    check_alert_charts(config, path)
    return config


ALERT_POLICY_NAME = re.compile(r'projects/[^/]+/alertPolicies/[^/]+')


def check_alert_charts(config, path):
    """`AlertChart.name` is required, in the format projects/P/alertPolicies/ID (Monitoring
    dashboards v1 `AlertChart`): an alert chart still holding a placeholder is refused."""
    tiles = (config.get('mosaicLayout') or {}).get('tiles') or []
    for i, tile in enumerate(tiles):
        chart = ((tile or {}).get('widget') or {}).get('alertChart')
        if chart is None:
            continue
        name = chart.get('name') if isinstance(chart, dict) else None
        if not isinstance(name, str) or not ALERT_POLICY_NAME.fullmatch(name):
            raise invalid(f'{path}: mosaicLayout.tiles[{i}].widget.alertChart.name {name!r} is '
                          'not an alert policy name (projects/P/alertPolicies/ID)')


def dashboard_etag(config):
    return digest(canonical(config), length=32)


def dashboard_view(record):
    view = copy.deepcopy(record['config'])
    view['name'] = record['name']
    view['etag'] = record['etag']
    return view


def find_dashboard(ctx):
    value = ctx.args.positionals[0]
    m = re.fullmatch(r'projects/([^/]+)/dashboards/([^/]+)', value)
    if m:
        if m.group(1) != ctx.project:
            raise ApiError('NOT_FOUND', f'Requested entity was not found: {value} (not in '
                           f'project {ctx.project})')
        name = value
    elif '/' in value:
        raise invalid(f'{value!r} is not a dashboard name or ID')
    else:
        name = f'projects/{ctx.project}/dashboards/{value}'
    record = ctx.state.find('monitoring.dashboard', name)
    if record is None:
        raise ApiError('NOT_FOUND', f'Requested entity was not found: {name}')
    return record


def h_dashboard_create(ctx):
    config = dashboard_config(ctx)
    config.pop('name', None)
    config.pop('etag', None)
    k = 0
    while True:
        h = digest(ctx.project, config['displayName'], str(k), length=32)
        dashboard_id = f'{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}'
        name = f'projects/{ctx.project}/dashboards/{dashboard_id}'
        if ctx.state.find('monitoring.dashboard', name) is None:
            break
        k += 1
    record = {'type': 'monitoring.dashboard', 'name': name, 'region': None,
              'project': ctx.project, 'displayName': config['displayName'],
              'labels': dict(config.get('labels') or {}), 'etag': dashboard_etag(config),
              'config': config}
    ctx.state.put(record)
    ctx.err(f'Created [{dashboard_id}].')
    ctx.show(dashboard_view(record), default=None)


def h_dashboard_list(ctx):
    ctx.show_list([dashboard_view(r) for r in ctx.state.of_type('monitoring.dashboard')])


def h_dashboard_describe(ctx):
    ctx.show(dashboard_view(find_dashboard(ctx)))


def h_dashboard_update(ctx):
    record = find_dashboard(ctx)
    config = dashboard_config(ctx)
    etag = config.pop('etag', None)
    if etag is not None and etag != record['etag']:
        raise ApiError('ABORTED', f'etag {etag!r} does not match the current etag '
                       f'{record["etag"]!r} of {record["name"]}: the dashboard changed since it '
                       'was read')
    config.pop('name', None)
    record = dict(record, displayName=config['displayName'],
                  labels=dict(config.get('labels') or {}), etag=dashboard_etag(config),
                  config=config)
    ctx.state.put(record)
    ctx.err(f'Updated [{record["name"].split("/")[-1]}].')
    ctx.show(dashboard_view(record), default=None)


def h_dashboard_delete(ctx):
    record = find_dashboard(ctx)
    ctx.state.remove(record)
    ctx.err(f'Deleted [{record["name"]}].')


# ---- monitoring alert policies and uptime checks -----------------------------------------------

# The AlertPolicy fields a --policy-from-file may hold (v3 REST JSON; output-only ones included,
# as gcloud sends them back).
POLICY_KEYS = ('name', 'displayName', 'documentation', 'userLabels', 'conditions', 'combiner',
               'enabled', 'validity', 'notificationChannels', 'creationRecord',
               'mutationRecord', 'alertStrategy', 'severity')
POLICY_COMBINERS = ('AND', 'OR', 'AND_WITH_MATCHING_RESOURCE')
ALL_TYPES.extend(['monitoring.alertPolicy', 'monitoring.uptimeCheck'])
UPTIME_PERIODS = ('1', '5', '10', '15')


def policy_config(ctx):
    path = ctx.args.get('policy-from-file')
    text = read_source(path, 'file')
    try:
        config = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except DuplicateKey as e:
        raise invalid(f'{path}: duplicate key {e.args[0]!r}') from None
    except ValueError:
        config = load_yaml(text, path, ctx.args.where)
    if not isinstance(config, dict):
        raise invalid(f'{path}: an alert policy must be an object')
    check_keys(config, POLICY_KEYS, f'{path} (alert policy)')
    conditions = config.get('conditions')
    if not isinstance(conditions, list) or not conditions:
        raise invalid(f'{path}: an alert policy needs at least one condition')
    if len(conditions) > 6:
        raise invalid(f'{path}: an alert policy has at most 6 conditions')
    if config.get('combiner') not in POLICY_COMBINERS:
        raise invalid(f'{path}: combiner must be one of {", ".join(POLICY_COMBINERS)}')
    labels = check_string_map(config.get('userLabels'), 'userLabels')
    if len(labels) > 64:
        raise invalid(f'{path}: at most 64 user labels')
    for key, value in labels.items():
        if not re.fullmatch(r'[a-z][a-z0-9_-]{0,62}', key) or len(value) > 63:
            raise invalid(f'{path}: user label {key!r}={value!r} is not a valid label')
    return config


def config_view(record):
    view = copy.deepcopy(record['config'])
    view['name'] = record['name']
    return view


def find_by_relative_name(ctx, type_, collection):
    value = ctx.args.positionals[0]
    m = re.fullmatch(rf'projects/([^/]+)/{collection}/([^/]+)', value)
    name = value if m else f'projects/{ctx.project}/{collection}/{value}'
    if m and m.group(1) != ctx.project:
        raise ApiError('NOT_FOUND', f'Requested entity was not found: {value} (not in project '
                       f'{ctx.project})')
    record = ctx.state.find(type_, name)
    if record is None:
        raise ApiError('NOT_FOUND', f'Requested entity was not found: {name}')
    return record


def new_numeric_name(ctx, type_, collection, *parts):
    k = 0
    while True:
        number = str(int(digest(ctx.project, *parts, str(k), length=15), 16))
        name = f'projects/{ctx.project}/{collection}/{number}'
        if ctx.state.find(type_, name) is None:
            return name
        k += 1


def h_policy_create(ctx):
    config = policy_config(ctx)
    for key in ('name', 'creationRecord', 'mutationRecord'):
        config.pop(key, None)
    name = new_numeric_name(ctx, 'monitoring.alertPolicy', 'alertPolicies',
                            config.get('displayName', ''))
    record = {'type': 'monitoring.alertPolicy', 'name': name, 'region': None,
              'project': ctx.project, 'config': config}
    ctx.state.put(record)
    ctx.err(f'Created alert policy [{name}].')
    ctx.show(config_view(record), default=None)


def h_policy_update(ctx):
    record = find_by_relative_name(ctx, 'monitoring.alertPolicy', 'alertPolicies')
    config = policy_config(ctx)
    for key in ('name', 'creationRecord', 'mutationRecord'):
        config.pop(key, None)
    record = dict(record, config=config)
    ctx.state.put(record)
    ctx.err(f'Updated alert policy [{record["name"]}].')
    ctx.show(config_view(record), default=None)


def h_policy_list(ctx):
    ctx.show_list([config_view(r) for r in ctx.state.of_type('monitoring.alertPolicy')])


def h_policy_describe(ctx):
    ctx.show(config_view(find_by_relative_name(ctx, 'monitoring.alertPolicy', 'alertPolicies')))


def h_policy_delete(ctx):
    record = find_by_relative_name(ctx, 'monitoring.alertPolicy', 'alertPolicies')
    ctx.state.remove(record)
    ctx.err(f'Deleted alert policy [{record["name"]}].')


def key_value_flag(ctx, flag):
    value = ctx.args.get(flag)
    if value is None:
        return {}
    out = {}
    for item in value.split(','):
        key, sep, item_value = item.partition('=')
        if not sep or not key:
            raise UsageError(f'({ctx.args.where}) argument --{flag}: Bad syntax for dict arg: '
                             f'[{item}].')
        out[key] = item_value
    return out


def h_uptime_create(ctx):
    args = ctx.args
    if args.get('resource-type', 'uptime-url') != 'uptime-url':
        raise UsageError(f'({args.where}) the fake knows only --resource-type=uptime-url')
    labels = key_value_flag(ctx, 'resource-labels')
    if set(labels) != {'host', 'project_id'}:
        raise invalid('an uptime-url check takes exactly the resource labels host and project_id')
    if labels['project_id'] != ctx.project:
        raise invalid(f'project_id {labels["project_id"]!r} is not the project {ctx.project!r}')
    period = args.get('period', '1')
    if period not in UPTIME_PERIODS:
        raise UsageError(f"({args.where}) argument --period: Invalid choice: '{period}'.")
    timeout = args.get('timeout', '60')
    if not re.fullmatch(r'[0-9]+', timeout) or not 1 <= int(timeout) <= 60:
        raise invalid(f'--timeout must be 1 to 60 seconds, not {timeout!r}')
    protocol = args.get('protocol', 'http')
    if protocol not in ('http', 'https'):
        raise UsageError(f'({args.where}) the fake knows only --protocol=http|https')
    validate = args.get('validate-ssl', 'false')
    if validate not in ('true', 'false'):
        raise UsageError(f"({args.where}) argument --validate-ssl: Invalid choice: '{validate}'.")
    user_labels = key_value_flag(ctx, 'user-labels')
    display_name = args.positionals[0]
    config = {
        'displayName': display_name,
        'monitoredResource': {'type': 'uptime_url', 'labels': labels},
        'httpCheck': {
            'requestMethod': args.get('request-method', 'get').upper(),
            'useSsl': protocol == 'https',
            'validateSsl': validate == 'true',
            'path': args.get('path', '/'),
            'port': int(args.get('port', '443' if protocol == 'https' else '80')),
        },
        'period': f'{int(period) * 60}s',
        'timeout': f'{timeout}s',
    }
    codes = args.get('status-codes')
    if codes is not None:
        if not re.fullmatch(r'[1-5][0-9]{2}(,[1-5][0-9]{2})*', codes):
            raise UsageError(f'({args.where}) argument --status-codes: {codes!r} is not a list '
                             'of HTTP status codes')
        config['httpCheck']['acceptedResponseStatusCodes'] = [
            {'statusValue': int(c)} for c in codes.split(',')]
    if user_labels:
        config['userLabels'] = user_labels
    # Uptime check IDs are the display name made an ID, then a unique suffix.
    slug = re.sub('[^a-z0-9]+', '-', display_name.lower()).strip('-')[:40]
    name = new_numeric_name(ctx, 'monitoring.uptimeCheck', 'uptimeCheckConfigs', display_name,
                            canonical(config))
    name = name.replace('uptimeCheckConfigs/', f'uptimeCheckConfigs/{slug}-')
    record = {'type': 'monitoring.uptimeCheck', 'name': name, 'region': None,
              'project': ctx.project, 'config': config}
    ctx.state.put(record)
    ctx.err(f'Created uptime check [{name}].')
    ctx.show(config_view(record), default=None)


def h_uptime_list(ctx):
    ctx.show_list([config_view(r) for r in ctx.state.of_type('monitoring.uptimeCheck')])


def h_uptime_describe(ctx):
    ctx.show(config_view(find_by_relative_name(ctx, 'monitoring.uptimeCheck',
                                               'uptimeCheckConfigs')))


def h_uptime_delete(ctx):
    record = find_by_relative_name(ctx, 'monitoring.uptimeCheck', 'uptimeCheckConfigs')
    ctx.state.remove(record)
    ctx.err(f'Deleted uptime check [{record["name"]}].')


# ---- Cloud Deploy and IAM (clouddeploy/setup.sh) -----------------------------------------------

ALL_TYPES.extend(['clouddeploy.config', 'iam.serviceAccount', 'resourcemanager.project',
                  'artifactregistry.repository'])
DEPLOY_KINDS = ('DeliveryPipeline', 'Target', 'Automation', 'CustomTargetType', 'DeployPolicy')
SERVICE_ACCOUNT_RE = re.compile(r'([a-z][a-z0-9-]{4,28}[a-z0-9])@([a-z][a-z0-9-]{4,28}[a-z0-9])'
                                r'\.iam\.gserviceaccount\.com$')
DEFAULT_COMPUTE_ACCOUNT_RE = re.compile(r'[0-9]{1,19}-compute@developer\.gserviceaccount\.com$')


def h_deploy_apply(ctx):
    """Keeps the applied file per region, after the checks the API makes that a text check can:
    every document's kind, and every alert policy a resource name (a placeholder is refused)."""
    path = ctx.args.get('file')
    text = read_source(path, 'file')
    kinds = re.findall(r'^kind: *(\S+)$', text, re.M)
    if not kinds or any(k not in DEPLOY_KINDS for k in kinds):
        raise invalid(f'{path}: kind must be one of {", ".join(DEPLOY_KINDS)}, not {kinds}')
    for policy in re.findall(r'alertPolicies:\n((?: *- .*\n)+)', text):
        for name in re.findall(r'- "?([^"\n]*)"?', policy):
            if not re.fullmatch(rf'projects/{re.escape(ctx.project)}/alertPolicies/[0-9]+', name):
                raise invalid(f'{path}: alert policy {name!r} is not '
                              f'projects/{ctx.project}/alertPolicies/ID')
    region = ctx.args.get('region')
    name = f'projects/{ctx.project}/locations/{region}/config'
    ctx.state.put({'type': 'clouddeploy.config', 'name': name, 'region': region,
                   'project': ctx.project, 'digest': digest(text), 'kinds': sorted(kinds)})
    ctx.err(f'Successfully applied {len(kinds)} resources in {region}.')


def service_account_record(ctx, email, create=False):
    record = ctx.state.find('iam.serviceAccount', email)
    if record is None and (create or DEFAULT_COMPUTE_ACCOUNT_RE.match(email)):
        # The Compute Engine default account exists in every project with Compute Engine.
        record = {'type': 'iam.serviceAccount', 'name': email, 'region': None,
                  'project': ctx.project, 'iamBindings': []}
    if record is None:
        raise ApiError('NOT_FOUND', f'Service account {email} does not exist.')
    return record


def h_service_account_create(ctx):
    account_id = ctx.args.positionals[0]
    email = f'{account_id}@{ctx.project}.iam.gserviceaccount.com'
    if not SERVICE_ACCOUNT_RE.match(email):
        raise invalid(f'{account_id!r} is not a service account ID (6-30 characters, '
                      '[a-z][a-z0-9-]*[a-z0-9])')
    if ctx.state.find('iam.serviceAccount', email) is not None:
        raise ApiError('ALREADY_EXISTS', f'Service account {account_id} already exists within '
                       f'project projects/{ctx.project}.')
    record = service_account_record(ctx, email, create=True)
    record['displayName'] = ctx.args.get('display-name', '')
    ctx.state.put(record)
    ctx.err(f'Created service account [{account_id}].')


def h_service_account_describe(ctx):
    record = service_account_record(ctx, ctx.args.positionals[0])
    view = {'email': record['name'], 'displayName': record.get('displayName', '')}
    # The API omits an empty description.
    if record.get('description'):
        view['description'] = record['description']
    ctx.show(view)


# ServiceAccount.description: "The maximum length is 256 UTF-8 bytes" (iam_v1_messages.py).
SERVICE_ACCOUNT_DESCRIPTION_MAX = 256


def h_service_account_update(ctx):
    """`iam service-accounts update`: --display-name and/or --description (one is required,
    as gcloud's ValidateUpdateFieldMask hook says). An account that does not exist is
    PERMISSION_DENIED, as the command's help says."""
    email = ctx.args.positionals[0]
    display_name = ctx.args.get('display-name')
    description = ctx.args.get('description')
    if display_name is None and description is None:
        raise invalid('One of [--display-name, --description] must be supplied: Specify at '
                      'least one field to update.')
    record = ctx.state.find('iam.serviceAccount', email)
    if record is None or 'displayName' not in record:
        raise ApiError('PERMISSION_DENIED', f'Permission iam.serviceAccounts.update denied on '
                       f'resource (or it may not exist): {email}')
    if description is not None:
        if len(description.encode()) > SERVICE_ACCOUNT_DESCRIPTION_MAX:
            raise invalid(f'Description is longer than {SERVICE_ACCOUNT_DESCRIPTION_MAX} bytes.')
        record['description'] = description
    if display_name is not None:
        record['displayName'] = display_name
    ctx.state.put(record)
    ctx.err(f'Updated service account [{email}].')
    ctx.show({'email': email, 'displayName': record['displayName'],
              **({'description': record['description']} if record.get('description') else {})},
             default=None)


def h_service_account_add_binding(ctx):
    member, role = check_binding_args(ctx)
    email = ctx.args.positionals[0]
    # A runtime service account the spec names is the user's: like secrets, the fake takes a
    # well-formed one as existing (describe still finds only those created or bound here).
    record = service_account_record(ctx, email, create=bool(SERVICE_ACCOUNT_RE.match(email)))
    add_binding(record, member, role)
    ctx.state.put(record)
    ctx.err(f'Updated IAM policy for serviceAccount [{record["name"]}].')
    ctx.show(policy_view(record), default=None)


def h_service_account_delete(ctx):
    email = ctx.args.positionals[0]
    record = ctx.state.find('iam.serviceAccount', email)
    if record is None:
        raise ApiError('NOT_FOUND', f'Service account {email} does not exist.')
    ctx.state.remove(record)
    ctx.err(f'deleted service account [{email}]')


def h_service_account_get_policy(ctx):
    email = ctx.args.positionals[0]
    record = ctx.state.find('iam.serviceAccount', email)
    if record is None:
        if not (SERVICE_ACCOUNT_RE.match(email) or DEFAULT_COMPUTE_ACCOUNT_RE.match(email)):
            raise ApiError('NOT_FOUND', f'Service account {email} does not exist.')
        # A well-formed account the spec names is the user's, with an empty policy.
        record = {'iamBindings': []}
    show_policy(ctx, record)


def h_service_account_remove_binding(ctx):
    member, role = check_binding_args(ctx)
    email = ctx.args.positionals[0]
    record = ctx.state.find('iam.serviceAccount', email)
    if record is None:
        raise ApiError('NOT_FOUND', 'Policy binding with the specified principal, role, and '
                       'condition not found!')
    remove_binding(record, member, role)
    if not record['iamBindings'] and 'displayName' not in record:
        # An account the fake only kept for its policy (the user's): nothing left to keep.
        ctx.state.remove(record)
    else:
        ctx.state.put(record)
    ctx.err(f'Updated IAM policy for serviceAccount [{email}].')
    ctx.show(policy_view(record), default=None)


def check_own_project(ctx):
    if ctx.args.positionals[0] != ctx.project:
        raise ApiError('PERMISSION_DENIED', f'project [{ctx.args.positionals[0]}] is not the '
                       f'project of this state file [{ctx.project}]')


def h_project_get_policy(ctx):
    check_own_project(ctx)
    record = ctx.state.find('resourcemanager.project', ctx.project) or {'iamBindings': []}
    show_policy(ctx, record)


def h_project_remove_binding(ctx):
    member, role = check_binding_args(ctx)
    reject_condition(ctx)
    check_own_project(ctx)
    record = ctx.state.find('resourcemanager.project', ctx.project) or {'iamBindings': []}
    remove_binding(record, member, role)
    if record['iamBindings']:
        ctx.state.put(record)
    else:
        ctx.state.remove(record)
    ctx.err(f'Updated IAM policy for project [{ctx.project}].')
    ctx.show(policy_view(record), default=None)


def h_project_add_binding(ctx):
    member, role = check_binding_args(ctx)
    reject_condition(ctx)
    if ctx.args.positionals[0] != ctx.project:
        raise ApiError('PERMISSION_DENIED', f'project [{ctx.args.positionals[0]}] is not the '
                       f'project of this state file [{ctx.project}]')
    record = ctx.state.find('resourcemanager.project', ctx.project) or {
        'type': 'resourcemanager.project', 'name': ctx.project, 'region': None,
        'project': ctx.project, 'iamBindings': []}
    add_binding(record, member, role)
    ctx.state.put(record)
    ctx.err(f'Updated IAM policy for project [{ctx.project}].')
    ctx.show(policy_view(record), default=None)


# ---- Secret Manager and projects ---------------------------------------------------------------

# A secret in the project, or one in another project by number (as gcloud's resource parser takes
# it).
SECRET_RE = re.compile(r'(projects/[0-9]{1,19}/secrets/)?[a-zA-Z0-9_-]{1,255}$')


def secret_record(ctx, keep):
    """The secret's IAM state. Secrets are the user's: the fake treats every well-formed name as an
    existing secret with an empty policy, and stores one only once its policy changes (`keep`)."""
    name = ctx.args.positionals[0]
    if not SECRET_RE.match(name):
        raise invalid(f'SECRET: {name!r} is not a secret name or projects/NUMBER/secrets/NAME')
    record = ctx.state.find('secretmanager.secret', name)
    if record is None:
        record = {'type': 'secretmanager.secret', 'name': name, 'region': None, 'iamBindings': []}
        if keep:
            ctx.state.put(record)
    return record


def reject_condition(ctx):
    if ctx.args.get('condition') not in (None, 'None'):
        raise invalid('--condition: the fake takes only None (an unconditional binding)')


def add_user_resource_binding(ctx, record, noun, default='yaml'):
    """add-iam-policy-binding on a resource the user owns (a secret, a repository, an IAP
    resource): `record` is its IAM state, kept from now on."""
    member, role = check_binding_args(ctx)
    add_binding(record, member, role)
    ctx.state.changed = True
    ctx.err(f'Updated IAM policy for {noun}.')
    ctx.show(policy_view(record), default=default)


def remove_user_resource_binding(ctx, record, noun, default='yaml'):
    """remove-iam-policy-binding on a resource the user owns: once its policy is empty again, the
    fake stops keeping it (it never created the resource)."""
    member, role = check_binding_args(ctx)
    remove_binding(record, member, role)
    if record['iamBindings']:
        ctx.state.put(record)
    elif ctx.state.find(record['type'], record['name']) is not None:
        ctx.state.remove(record)
    ctx.state.changed = True
    ctx.err(f'Updated IAM policy for {noun}.')
    ctx.show(policy_view(record), default=default)


def h_secret_get_policy(ctx):
    show_policy(ctx, secret_record(ctx, keep=False))


def h_secret_add_binding(ctx):
    reject_condition(ctx)
    record = secret_record(ctx, keep=True)
    add_user_resource_binding(ctx, record, f'secret [{record["name"]}]')


def h_secret_remove_binding(ctx):
    reject_condition(ctx)
    record = secret_record(ctx, keep=False)
    remove_user_resource_binding(ctx, record, f'secret [{record["name"]}]')


# ---- Artifact Registry repositories (IAM only) -------------------------------------------------

ARTIFACT_REPOSITORY_RE = re.compile(r'[a-z]([a-z0-9-]*[a-z0-9])?$')


def repository_record(ctx, keep):
    """A repository's IAM state. Repositories are the user's, like secrets: every well-formed
    name in a location is taken as existing, stored only once its policy changes (`keep`)."""
    repository = ctx.args.positionals[0]
    if not ARTIFACT_REPOSITORY_RE.match(repository):
        raise invalid(f'REPOSITORY: {repository!r} is not a repository ID')
    name = f'projects/{ctx.project}/locations/{ctx.args.get("location")}/repositories/{repository}'
    record = ctx.state.find('artifactregistry.repository', name)
    if record is None:
        record = {'type': 'artifactregistry.repository', 'name': name, 'region': None,
                  'project': ctx.project, 'iamBindings': []}
        if keep:
            ctx.state.put(record)
    return record


def h_repository_get_policy(ctx):
    show_policy(ctx, repository_record(ctx, keep=False))


def h_repository_add_binding(ctx):
    record = repository_record(ctx, keep=True)
    add_user_resource_binding(ctx, record, f'repository [{record["name"]}]', default=None)


def h_repository_remove_binding(ctx):
    record = repository_record(ctx, keep=False)
    remove_user_resource_binding(ctx, record, f'repository [{record["name"]}]', default=None)


def h_project_describe(ctx):
    project = ctx.args.positionals[0]
    if project != ctx.project:
        raise ApiError('PERMISSION_DENIED', f'project [{project}] is not the project of this '
                       f'state file [{ctx.project}]')
    ctx.show({'createTime': '2020-01-01T00:00:00.000Z', 'lifecycleState': 'ACTIVE',
              'name': project, 'projectId': project,
              'projectNumber': str(int(digest(project, length=10), 16) % 10**12)})


# ---- Identity-Aware Proxy ---------------------------------------------------------------------

IAP_RESOURCE_TYPES = ('app-engine', 'backend-services', 'forwarding-rule', 'cloud-run')


def iap_record(ctx, keep):
    """The IAM policy of one IAP resource: a Cloud Run service in a region, or a global backend
    service (gcloud's ParseIapIamResource). The resource itself must exist: IAP's policy hangs
    off it. The policy is stored once it changes (`keep`)."""
    kind = ctx.args.get('resource-type')
    service = ctx.args.get('service')
    region = ctx.args.get('region')
    if kind not in IAP_RESOURCE_TYPES:
        raise invalid(f'--resource-type: {kind!r} is not one of {", ".join(IAP_RESOURCE_TYPES)}')
    if kind == 'cloud-run':
        if region is None:
            raise invalid('--region: `--region` must be specified for `--resource-type=cloud-run`.')
        if ctx.state.find('run.service', service, region) is None and \
                ctx.state.find('run.multiRegionService', service) is None:
            raise not_found(f'Cloud Run service [{service}] in region [{region}]')
    elif kind == 'backend-services':
        if service is None:
            raise invalid('--service: required with `--resource-type=backend-services`')
        if region is not None:
            raise invalid('--region: the fake keeps only global backend services')
        if ctx.state.find('compute.backendService', service) is None:
            raise not_found(f"'projects/{ctx.project}/global/backendServices/{service}'")
    else:
        raise invalid(f'--resource-type={kind}: the fake keeps no such resources')
    name = f'{kind}/{region or "global"}/{service}'
    record = ctx.state.find('iap.policy', name)
    if record is None:
        record = {'type': 'iap.policy', 'name': name, 'region': None, 'iamBindings': []}
        if keep:
            ctx.state.put(record)
    return record


def h_iap_get_policy(ctx):
    show_policy(ctx, iap_record(ctx, keep=False))


def h_iap_add_binding(ctx):
    reject_condition(ctx)
    add_user_resource_binding(ctx, iap_record(ctx, keep=True), 'IAP resource')


# ---- The command tree --------------------------------------------------------------------------

C = Command
GLOBAL = {'global': BOOL}
REGION = {'region': VALUE}
COMPUTE_LIST = {'global': BOOL, 'regions': VALUE}
CM_LOCATION = {'location': VALUE}
CM_MAP = {'map': VALUE, 'location': VALUE}


TREE = {
    'services': {
        'enable': C(h_services_enable, ['SERVICE...']),
    },
    'auth': {
        'print-access-token': C(h_auth_print_access_token),
    },
    'run': {
        'deploy': C(h_run_deploy, ['SERVICE'],
                    {'region': VALUE, 'image': VALUE, 'no-traffic': BOOL, 'tag': VALUE},
                    ['region', 'image'], mutates=True),
        'services': {
            'replace': C(h_run_replace, ['FILE'], REGION, ['region'], mutates=True),
            'describe': C(h_run_describe, ['SERVICE'], REGION, ['region'], flatten=True),
            'list': C(h_run_list, [], REGION, listing=True),
            'delete': C(h_run_delete, ['SERVICE'], REGION, ['region'], mutates=True),
            'add-iam-policy-binding': C(h_run_add_binding, ['SERVICE'],
                                        {'region': VALUE, 'member': VALUE, 'role': VALUE},
                                        ['region', 'member', 'role'], mutates=True),
            'remove-iam-policy-binding': C(h_run_remove_binding, ['SERVICE'],
                                           {'region': VALUE, 'member': VALUE, 'role': VALUE},
                                           ['region', 'member', 'role'], mutates=True),
            'get-iam-policy': C(h_run_get_policy, ['SERVICE'], REGION, ['region'],
                                listing=True, flatten=True),
            'update': C(h_run_update, ['SERVICE'],
                        {'region': VALUE, 'invoker-iam-check': BOOL,
                         'no-invoker-iam-check': BOOL}, ['region'], mutates=True),
            'update-traffic': C(h_run_update_traffic, ['SERVICE'],
                                {'region': VALUE, 'to-latest': BOOL, 'to-revisions': VALUE,
                                 'to-tags': VALUE, 'update-tags': VALUE, 'set-tags': VALUE,
                                 'remove-tags': VALUE, 'clear-tags': BOOL},
                                ['region'], mutates=True),
        },
        'multi-region-services': {
            'replace': C(h_multi_region_replace, ['FILE'], mutates=True),
            'describe': C(h_multi_region_describe, ['SERVICE']),
            'list': C(h_multi_region_list, [], listing=True),
            'delete': C(h_multi_region_delete, ['SERVICE'], mutates=True),
        },
    },
    'compute': {
        'network-endpoint-groups': {
            'create': C(h_neg_create, ['NAME'],
                        {'region': VALUE, 'network-endpoint-type': VALUE,
                         'cloud-run-service': VALUE},
                        ['region', 'network-endpoint-type'], mutates=True),
            'describe': C(h_neg_describe, ['NAME'], REGION, ['region']),
            'delete': C(h_neg_delete, ['NAME'], REGION, ['region'], mutates=True),
            'list': C(h_neg_list, [], COMPUTE_LIST, listing=True),
        },
        'backend-services': {
            'import': C(h_backend_import, ['NAME'], {'global': BOOL, 'source': VALUE},
                        ['source'], mutates=True),
            'update': C(h_backend_update, ['NAME'], {'global': BOOL, 'security-policy': VALUE},
                        mutates=True),
            'describe': C(h_backend_describe, ['NAME'], GLOBAL),
            'delete': C(h_backend_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_backend_list, [], COMPUTE_LIST, listing=True),
        },
        'security-policies': {
            'create': C(h_security_policy_create, ['NAME'],
                        {'global': BOOL, 'file-name': VALUE}, ['file-name'], mutates=True),
            'describe': C(h_security_policy_describe, ['NAME'], GLOBAL),
            'delete': C(h_security_policy_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_security_policy_list, [], COMPUTE_LIST, listing=True),
        },
        'url-maps': {
            'import': C(h_url_map_import, ['NAME'], {'global': BOOL, 'source': VALUE},
                        ['source'], mutates=True),
            'describe': C(h_url_map_describe, ['NAME'], GLOBAL),
            'delete': C(h_url_map_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_url_map_list, [], COMPUTE_LIST, listing=True),
        },
        'addresses': {
            'create': C(h_address_create, ['NAME'],
                        {'global': BOOL, 'ip-version': VALUE, 'network-tier': VALUE},
                        mutates=True),
            'describe': C(h_address_describe, ['NAME'], GLOBAL),
            'delete': C(h_address_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_address_list, [], COMPUTE_LIST, listing=True),
        },
        'ssl-certificates': {
            'create': C(h_cert_create, ['NAME'],
                        {'global': BOOL, 'domains': VALUE, 'certificate': VALUE,
                         'private-key': VALUE},
                        mutates=True),
            'describe': C(h_cert_describe, ['NAME'], GLOBAL),
            'delete': C(h_cert_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_cert_list, [], COMPUTE_LIST, listing=True),
        },
        'target-https-proxies': {
            'create': C(h_https_proxy_create, ['NAME'],
                        {'global': BOOL, 'url-map': VALUE, 'ssl-certificates': VALUE,
                         'certificate-map': VALUE},
                        ['url-map'], mutates=True),
            'update': C(h_https_proxy_update, ['NAME'],
                        {'global': BOOL, 'url-map': VALUE, 'ssl-certificates': VALUE,
                         'certificate-map': VALUE, 'clear-ssl-certificates': BOOL,
                         'clear-certificate-map': BOOL},
                        mutates=True),
            'describe': C(h_https_proxy_describe, ['NAME'], GLOBAL),
            'delete': C(h_https_proxy_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_https_proxy_list, [], COMPUTE_LIST, listing=True),
        },
        'target-http-proxies': {
            'create': C(h_http_proxy_create, ['NAME'], {'global': BOOL, 'url-map': VALUE},
                        ['url-map'], mutates=True),
            'update': C(h_http_proxy_update, ['NAME'], {'global': BOOL, 'url-map': VALUE},
                        ['url-map'], mutates=True),
            'describe': C(h_http_proxy_describe, ['NAME'], GLOBAL),
            'delete': C(h_http_proxy_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_http_proxy_list, [], COMPUTE_LIST, listing=True),
        },
        'forwarding-rules': {
            'create': C(h_rule_create, ['NAME'],
                        {'global': BOOL, 'load-balancing-scheme': VALUE, 'network-tier': VALUE,
                         'address': VALUE, 'target-https-proxy': VALUE,
                         'target-http-proxy': VALUE, 'ports': VALUE},
                        mutates=True),
            'describe': C(h_rule_describe, ['NAME'], GLOBAL),
            'delete': C(h_rule_delete, ['NAME'], GLOBAL, mutates=True),
            'list': C(h_rule_list, [], COMPUTE_LIST, listing=True),
        },
    },
    'secrets': {
        'get-iam-policy': C(h_secret_get_policy, ['SECRET'], listing=True, flatten=True),
        'add-iam-policy-binding': C(h_secret_add_binding, ['SECRET'],
                                    {'member': VALUE, 'role': VALUE, 'condition': VALUE},
                                    ['member', 'role'], mutates=True),
        'remove-iam-policy-binding': C(h_secret_remove_binding, ['SECRET'],
                                       {'member': VALUE, 'role': VALUE, 'condition': VALUE},
                                       ['member', 'role'], mutates=True),
    },
    'artifacts': {
        'repositories': {
            'get-iam-policy': C(h_repository_get_policy, ['REPOSITORY'], {'location': VALUE},
                                ['location'], listing=True, flatten=True),
            'add-iam-policy-binding': C(h_repository_add_binding, ['REPOSITORY'],
                                        {'location': VALUE, 'member': VALUE, 'role': VALUE},
                                        ['location', 'member', 'role'], mutates=True),
            'remove-iam-policy-binding': C(h_repository_remove_binding, ['REPOSITORY'],
                                           {'location': VALUE, 'member': VALUE, 'role': VALUE},
                                           ['location', 'member', 'role'], mutates=True),
        },
    },
    'projects': {
        'describe': C(h_project_describe, ['PROJECT_ID_OR_NUMBER']),
        'get-iam-policy': C(h_project_get_policy, ['PROJECT_ID'], listing=True, flatten=True),
        'add-iam-policy-binding': C(h_project_add_binding, ['PROJECT_ID'],
                                    {'member': VALUE, 'role': VALUE, 'condition': VALUE},
                                    ['member', 'role'], mutates=True),
        'remove-iam-policy-binding': C(h_project_remove_binding, ['PROJECT_ID'],
                                       {'member': VALUE, 'role': VALUE, 'condition': VALUE},
                                       ['member', 'role'], mutates=True),
    },
    'deploy': {
        'apply': C(h_deploy_apply, [], {'file': VALUE, 'region': VALUE}, ['file', 'region'],
                   mutates=True),
    },
    'certificate-manager': {
        'dns-authorizations': {
            'create': C(h_dns_authorization_create, ['NAME'],
                        {'domain': VALUE, 'type': VALUE, 'location': VALUE}, ['domain'],
                        mutates=True),
            'describe': C(h_dns_authorization_describe, ['NAME'], CM_LOCATION),
            'list': C(h_dns_authorization_list, [], CM_LOCATION, listing=True),
            'delete': C(h_dns_authorization_delete, ['NAME'], CM_LOCATION, mutates=True),
        },
        'certificates': {
            'create': C(h_cm_certificate_create, ['NAME'],
                        {'domains': VALUE, 'dns-authorizations': VALUE, 'location': VALUE},
                        ['domains'], mutates=True),
            'describe': C(h_cm_certificate_describe, ['NAME'], CM_LOCATION),
            'list': C(h_cm_certificate_list, [], CM_LOCATION, listing=True),
            'delete': C(h_cm_certificate_delete, ['NAME'], CM_LOCATION, mutates=True),
        },
        'maps': {
            'create': C(h_map_create, ['NAME'], CM_LOCATION, mutates=True),
            'describe': C(h_map_describe, ['NAME'], CM_LOCATION),
            'list': C(h_map_list, [], CM_LOCATION, listing=True),
            'delete': C(h_map_delete, ['NAME'], CM_LOCATION, mutates=True),
            'entries': {
                'create': C(h_entry_create, ['NAME'],
                            {'map': VALUE, 'hostname': VALUE, 'set-primary': BOOL,
                             'certificates': VALUE, 'location': VALUE}, ['map'],
                            mutates=True),
                'describe': C(h_entry_describe, ['NAME'], CM_MAP, ['map']),
                'list': C(h_entry_list, [], CM_MAP, ['map'], listing=True),
                'update': C(h_entry_update, ['NAME'],
                            {'map': VALUE, 'certificates': VALUE, 'location': VALUE}, ['map'],
                            mutates=True),
                'delete': C(h_entry_delete, ['NAME'], CM_MAP, ['map'], mutates=True),
            },
        },
    },
    'iam': {
        'service-accounts': {
            'create': C(h_service_account_create, ['NAME'], {'display-name': VALUE},
                        mutates=True),
            'describe': C(h_service_account_describe, ['SERVICE_ACCOUNT']),
            'update': C(h_service_account_update, ['SERVICE_ACCOUNT'],
                        {'display-name': VALUE, 'description': VALUE}, mutates=True),
            'delete': C(h_service_account_delete, ['SERVICE_ACCOUNT'], mutates=True),
            'get-iam-policy': C(h_service_account_get_policy, ['SERVICE_ACCOUNT'],
                                listing=True, flatten=True),
            'add-iam-policy-binding': C(h_service_account_add_binding, ['SERVICE_ACCOUNT'],
                                        {'member': VALUE, 'role': VALUE}, ['member', 'role'],
                                        mutates=True),
            'remove-iam-policy-binding': C(h_service_account_remove_binding,
                                           ['SERVICE_ACCOUNT'],
                                           {'member': VALUE, 'role': VALUE},
                                           ['member', 'role'], mutates=True),
        },
    },
    'iap': {
        'web': {
            'get-iam-policy': C(h_iap_get_policy, [],
                                {'resource-type': VALUE, 'service': VALUE, 'region': VALUE},
                                ['resource-type'], listing=True, flatten=True),
            'add-iam-policy-binding': C(h_iap_add_binding, [],
                                        {'resource-type': VALUE, 'service': VALUE,
                                         'region': VALUE, 'member': VALUE, 'role': VALUE,
                                         'condition': VALUE},
                                        ['resource-type', 'member', 'role'], mutates=True),
        },
    },
    'monitoring': {
        'dashboards': {
            'create': C(h_dashboard_create, [], {'config-from-file': VALUE},
                        ['config-from-file'], mutates=True),
            'list': C(h_dashboard_list, [], listing=True),
            'describe': C(h_dashboard_describe, ['DASHBOARD']),
            'update': C(h_dashboard_update, ['DASHBOARD'], {'config-from-file': VALUE},
                        ['config-from-file'], mutates=True),
            'delete': C(h_dashboard_delete, ['DASHBOARD'], mutates=True),
        },
        'uptime': {
            'create': C(h_uptime_create, ['DISPLAY_NAME'],
                        {'resource-type': VALUE, 'resource-labels': VALUE, 'protocol': VALUE,
                         'validate-ssl': VALUE, 'request-method': VALUE, 'path': VALUE,
                         'port': VALUE, 'period': VALUE, 'timeout': VALUE,
                         'status-codes': VALUE, 'user-labels': VALUE},
                        ['resource-labels'], mutates=True),
            'list-configs': C(h_uptime_list, [], listing=True),
            'describe': C(h_uptime_describe, ['CHECK_ID']),
            'delete': C(h_uptime_delete, ['CHECK_ID'], mutates=True),
        },
    },
    # Alert policies have no GA or beta gcloud surface.
    'alpha': {
        'monitoring': {
            'policies': {
                'create': C(h_policy_create, [], {'policy-from-file': VALUE},
                            ['policy-from-file'], mutates=True),
                'update': C(h_policy_update, ['POLICY'], {'policy-from-file': VALUE},
                            ['policy-from-file'], mutates=True),
                'list': C(h_policy_list, [], listing=True),
                'describe': C(h_policy_describe, ['POLICY']),
                'delete': C(h_policy_delete, ['POLICY'], mutates=True),
            },
        },
    },
}


# ---- Main --------------------------------------------------------------------------------------


def log_invocation(argv):
    path = os.environ.get('FAKECLOUD_LOG')
    if not path:
        return
    with open(path, 'a', encoding='utf-8', errors='surrogateescape') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(json.dumps(argv, ensure_ascii=False) + '\n')


def check_project(args, state):
    project = args.get('project')
    if project is None:
        raise ApiError('FAILED_PRECONDITION', 'The required property [project] is not currently '
                       'set. The fake reads no configuration: pass --project.')
    if not PROJECT_RE.match(project):
        raise invalid(f'--project: {project!r} is not a valid project ID')
    pinned = state.data.get('project')
    if pinned is not None and pinned != project:
        raise ApiError('PERMISSION_DENIED', f'project [{project}] is not the project of this '
                       f'state file [{pinned}]')
    for record in state.resources:
        if record.get('project', project) != project:
            raise ApiError('PERMISSION_DENIED', f'project [{project}] is not the project of this '
                           f'state file [{record["project"]}] (one state file holds one project)')
    return project


def fail_setting(name):
    value = os.environ.get(name)
    if value in (None, ''):
        return None
    if not re.fullmatch(r'[1-9][0-9]*', value):
        raise UsageError(f'{name}={value!r} must be a positive integer')
    return int(value)


def count_change(state_path):
    """Counts a state-changing call in STATE.changes (the wrapper resets it to 0 on every run);
    returns this call's number. Called under the state's exclusive lock."""
    path = state_path + '.changes'
    try:
        with open(path, encoding='utf-8') as f:
            count = int(f.read().strip() or '0')
    except (FileNotFoundError, ValueError):
        count = 0
    count += 1
    with open(path, 'w', encoding='utf-8') as f:
        f.write(f'{count}\n')
    return count


def execute(argv):
    """Runs one invocation; returns (exit status, stdout text, stderr text)."""
    log_invocation(argv)
    where = 'gcloud'
    try:
        fail = os.environ.get('FAKECLOUD_FAIL')
        if fail and re.search(fail, ' '.join(argv)):
            raise ApiError('UNAVAILABLE', f'failing as FAKECLOUD_FAIL asks: {" ".join(argv)}')
        args = parse_args(argv, TREE)
        where = args.where
        verbosity = args.get('verbosity')
        if verbosity is not None and verbosity not in VERBOSITIES:
            raise UsageError(f"({where}) argument --verbosity: Invalid choice: '{verbosity}'.")
        limit = args.get('limit')
        if limit is not None and not re.fullmatch(r'[1-9][0-9]*', limit):
            raise UsageError(f'({where}) argument --limit: Value must be greater than or equal '
                             f'to 1; received: {limit}')
        state_path = os.environ.get('FAKECLOUD_STATE')
        if not state_path:
            raise UsageError('FAKECLOUD_STATE is not set: run commands through '
                             'tests/fakecloud/fakecloud STATE.json -- COMMAND')
        fail_at = fail_setting('FAKECLOUD_FAIL_AT')
        fail_after = fail_setting('FAKECLOUD_FAIL_AFTER')
        with Store(state_path, exclusive=args.command.mutates) as store:
            project = check_project(args, store.state)
            ctx = Context(args, store.state, project)
            change = count_change(state_path) if args.command.mutates else None
            if change is not None and change == fail_at:
                raise ApiError('UNAVAILABLE', f'change {change} fails before it is applied, as '
                               'FAKECLOUD_FAIL_AT asks')
            args.command.handler(ctx)
            if store.state.changed:
                store.save()
            if change is not None and change == fail_after:
                raise ApiError('DEADLINE_EXCEEDED', f'change {change} was applied, then the call '
                               'failed, as FAKECLOUD_FAIL_AFTER asks')
        return 0, ''.join(ctx.stdout), ''.join(ctx.stderr)
    except UsageError as e:
        message = str(e)
        if not message.startswith('('):
            message = f'({where}) {message}'
        return 2, '', f'ERROR: {message}\n'
    except ApiError as e:
        return 1, '', f'ERROR: ({where}) {e}\n'


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding='utf-8', errors='surrogateescape')
    status, out, err = execute(argv)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status
