#!/usr/bin/env python3
"""Self-tests of the fake Google Cloud (tests/fakecloud/README.md); unittest, stdlib only.

    python3 tests/fakecloud/test_fakecloud.py

Covers the YAML subset, filters, flatten and formats (and, where the real Google Cloud CLI is
installed, checks them against gcloud's own evaluator), every command family, every refusal,
the command-line strictness, the state file's determinism, locking under parallel calls, the
call log, failure injection, the wrapper, and an end-to-end run of the bundled example's
deploy.sh and teardown.sh when the CLI is built (MULTIRUN_BIN, default target/debug/multirun;
with MULTIRUN_REQUIRE_TOOLS=1, as in CI, a missing CLI fails instead of skipping).
"""
import sys

sys.dont_write_bytecode = True

import concurrent.futures  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import unittest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAKECLOUD = os.path.join(HERE, 'fakecloud')
GCLOUD = os.path.join(HERE, 'bin', 'gcloud')
MULTIRUN = os.environ.get('MULTIRUN_BIN') or os.path.join(ROOT, 'target', 'debug', 'multirun')
sys.path.insert(0, HERE)

import fakegcloud  # noqa: E402
import miniyaml  # noqa: E402
import projection  # noqa: E402

P = 'my-project'
NEG_URL = ('https://www.googleapis.com/compute/v1/projects/my-project/regions/{region}/'
           'networkEndpointGroups/{name}')
BS_URL = 'https://www.googleapis.com/compute/v1/projects/my-project/global/backendServices/{name}'

SERVICE_YAML = '''\
# Generated-style Cloud Run service.
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: "{name}"
  labels:
    "team": "platform"
  annotations:
    # a comment
    run.googleapis.com/ingress: "internal-and-cloud-load-balancing"
    run.googleapis.com/invoker-iam-disabled: "{public}"
spec:
  template:
    metadata:
      labels:
        "team": "platform"
      annotations:
        autoscaling.knative.dev/minScale: "{min}"
        autoscaling.knative.dev/maxScale: "100"
    spec:
      containerConcurrency: 80
      timeoutSeconds: 300
      containers:
      - image: "{image}"
        ports:
        - name: http1
          containerPort: 8080
        env:
        - name: "CLOUD_RUN_REGION"
          value: "{region}"
        - name: "GREETING"
          value: "it's \\"q\\" $(x) \\\\ \\u00FCn\\u00EF\\n\\ttab # not a comment"
        startupProbe:
          httpGet:
            path: "/health"
            port: 8080
          periodSeconds: 10
          failureThreshold: 24
        livenessProbe:
          httpGet:
            path: "/health"
            port: 8080
          failureThreshold: 9
  traffic:
  - percent: 100
    latestRevision: true
'''

BACKEND_YAML = '''\
name: "{name}"
loadBalancingScheme: {scheme}
backends:
{backends}
'''

OUTLIER = '''\
outlierDetection:
  consecutiveGatewayFailure: 3
  enforcingConsecutiveGatewayFailure: 100
  enforcingConsecutiveErrors: 0
  interval:
    seconds: 10
'''


def neg_url(name, region):
    return NEG_URL.format(name=name, region=region)


def bs_url(name):
    return BS_URL.format(name=name)


def forked_call(argv, env):
    """fakegcloud.execute(argv) in a forked child with ENV as its environment, as a
    CompletedProcess: a fresh process for the fake's purposes, without a Python start-up."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            os.environ.clear()
            os.environ.update(env)
            try:
                status, out, err = fakegcloud.execute(argv)
            except BaseException:  # noqa: BLE001 - a crash of the fake is reported, as a process would
                status, out, err = 1, '', traceback.format_exc()
            data = json.dumps([status, out, err]).encode('utf-8', 'surrogateescape')
            while data:
                data = data[os.write(write_end, data):]
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, 'rb') as answer:
        status, out, err = json.loads(answer.read().decode('utf-8', 'surrogateescape'))
    os.waitpid(pid, 0)
    return subprocess.CompletedProcess(['gcloud', *argv], status, out, err)


class Cloud:
    """A scratch project: a state file, the fake gcloud, files to feed it."""

    def __init__(self, test):
        self.test = test
        self.dir = tempfile.mkdtemp(prefix='fakecloud-test-')
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.state_path = os.path.join(self.dir, 'state.json')
        self.files = 0

    def env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith('FAKECLOUD_')}
        env['FAKECLOUD_STATE'] = self.state_path
        env['PYTHONDONTWRITEBYTECODE'] = '1'
        env.update(extra or {})
        return env

    def run(self, *args, project=P, env=None, process=False):
        """One gcloud call. By default in a fork of this process, which has the fake loaded (as
        the wrapper's server runs calls); `process=True` runs bin/gcloud as a new process, for
        tests of parallel processes. TestWrapper checks the two answer alike."""
        argv = list(args) + ([f'--project={project}'] if project else [])
        if process:
            return subprocess.run([GCLOUD, *argv], capture_output=True, text=True,
                                  env=self.env(env))
        return forked_call(argv, self.env(env))

    def ok(self, *args, **kwargs):
        r = self.run(*args, **kwargs)
        self.test.assertEqual(r.returncode, 0, f'gcloud {" ".join(args)}\n{r.stderr}')
        return r

    def fails(self, code, *args, contains=None, **kwargs):
        """The call exits `code` (1 or 2), leaves the state file unchanged, and (optionally) says
        `contains` on stderr in an `ERROR: (gcloud...)` message."""
        before = self.raw()
        r = self.run(*args, **kwargs)
        self.test.assertEqual(r.returncode, code, f'gcloud {" ".join(args)}: expected exit '
                              f'{code}\n{r.stdout}{r.stderr}')
        self.test.assertTrue(r.stderr.startswith('ERROR: (gcloud'), r.stderr)
        if contains:
            self.test.assertIn(contains, r.stderr)
        self.test.assertEqual(self.raw(), before, 'a refused call changed the state')
        return r

    def raw(self):
        try:
            with open(self.state_path, encoding='utf-8') as f:
                return f.read()
        except FileNotFoundError:
            return None

    def state(self):
        raw = self.raw()
        return json.loads(raw) if raw else {'resources': []}

    def records(self, type_=None):
        return [r for r in self.state()['resources'] if type_ in (None, r['type'])]

    def record(self, type_, name, region=None):
        found = [r for r in self.records(type_) if r['name'] == name and r['region'] == region]
        self.test.assertEqual(len(found), 1, f'{type_} {name} {region}: {found}')
        return found[0]

    def write(self, text, suffix='.yaml'):
        self.files += 1
        path = os.path.join(self.dir, f'file{self.files}{suffix}')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        return path

    # -- building blocks --
    def service(self, name='my-app', region='us-central1', public='true', min_='1',
                image='us-docker.pkg.dev/p/r/app:v1'):
        path = self.write(SERVICE_YAML.format(name=name, region=region, public=public, min=min_,
                                              image=image))
        return self.ok('run', 'services', 'replace', path, f'--region={region}')

    def neg(self, name='neg-a', region='us-central1', service='my-app'):
        return self.ok('compute', 'network-endpoint-groups', 'create', name, f'--region={region}',
                       '--network-endpoint-type=serverless', f'--cloud-run-service={service}')

    def backend_yaml(self, name='bs', negs=(('neg-a', 'us-central1'),),
                     scheme='EXTERNAL_MANAGED', extra=''):
        backends = '\n'.join(f'- group: "{neg_url(n, r)}"' for n, r in negs) or '[]'
        if not negs:
            return f'name: "{name}"\nloadBalancingScheme: {scheme}\nbackends: []\n' + extra
        return BACKEND_YAML.format(name=name, scheme=scheme, backends=backends) + extra

    def backend(self, name='bs', **kwargs):
        path = self.write(self.backend_yaml(name, **kwargs))
        return self.ok('compute', 'backend-services', 'import', name, '--global',
                       f'--source={path}', '--quiet')

    def url_map(self, name='um', text=None, service='bs'):
        text = text or f'name: "{name}"\ndefaultService: "{bs_url(service)}"\n'
        path = self.write(text)
        return self.ok('compute', 'url-maps', 'import', name, '--global', f'--source={path}')

    def load_balancer(self):
        """Service, NEG, backend service, URL map, address, certificate, proxy, rule."""
        self.service()
        self.neg()
        self.backend(extra=OUTLIER)
        self.url_map()
        self.ok('compute', 'addresses', 'create', 'ip', '--global', '--ip-version=IPV4',
                '--network-tier=PREMIUM')
        self.ok('compute', 'ssl-certificates', 'create', 'cert', '--global',
                '--domains=app.example.com,www.example.com')
        self.ok('compute', 'target-https-proxies', 'create', 'https-proxy', '--global',
                '--url-map=um', '--ssl-certificates=cert')
        self.ok('compute', 'forwarding-rules', 'create', 'https-rule', '--global',
                '--load-balancing-scheme=EXTERNAL_MANAGED', '--network-tier=PREMIUM',
                '--address=ip', '--target-https-proxy=https-proxy', '--ports=443')


def pem(label, der):
    """A PEM block of `der`, 64 base64 characters a line."""
    import base64
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f'-----BEGIN {label}-----\n' + '\n'.join(lines) + f'\n-----END {label}-----\n'


# ---- YAML ------------------------------------------------------------------------------------


class TestYaml(unittest.TestCase):
    def test_generated_style(self):
        doc = miniyaml.load(SERVICE_YAML.format(name='a', region='r', public='true', min='1',
                                                image='img'))
        container = doc['spec']['template']['spec']['containers'][0]
        self.assertEqual(doc['metadata']['labels'], {'team': 'platform'})
        self.assertEqual(container['ports'], [{'name': 'http1', 'containerPort': 8080}])
        self.assertEqual(container['env'][1]['value'],
                         'it\'s "q" $(x) \\ ünï\n\ttab # not a comment')
        self.assertEqual(doc['spec']['traffic'], [{'percent': 100, 'latestRevision': True}])
        self.assertEqual(doc['spec']['template']['metadata']['annotations']
                         ['autoscaling.knative.dev/minScale'], '1')

    def test_scalars_and_flow(self):
        doc = miniyaml.load(textwrap.dedent('''\
            ---
            a: 1
            b: -2.5
            c: true
            d: ~
            e:
            f: 'it''s'
            g: "\\x41\\u00e9\\U0001F600\\N\\e"
            h: [1, "two", [3], {k: v}]
            i: {}
            j: []
            k: plain text, with punctuation # comment
            l: 0x1F
            m: "#not"
            '''))
        self.assertEqual(doc['a'], 1)
        self.assertEqual(doc['b'], -2.5)
        self.assertIs(doc['c'], True)
        self.assertIsNone(doc['d'])
        self.assertIsNone(doc['e'])
        self.assertEqual(doc['f'], "it's")
        self.assertEqual(doc['g'], 'A\u00e9\U0001F600\x85\x1b')
        self.assertEqual(doc['h'], [1, 'two', [3], {'k': 'v'}])
        self.assertEqual((doc['i'], doc['j']), ({}, []))
        self.assertEqual(doc['l'], 31)
        self.assertEqual(doc['m'], '#not')
        self.assertEqual(doc['k'], 'plain text, with punctuation')

    def test_plain_value_with_colon_space_is_refused(self):
        with self.assertRaises(miniyaml.YAMLError):
            miniyaml.load('k: plain text with: a colon\n')

    def test_sequences(self):
        doc = miniyaml.load('a:\n- x\n- - p\n  - q\n-\n  k: v\nb:\n  - c: 1\n    d: 2\n')
        self.assertEqual(doc, {'a': ['x', ['p', 'q'], {'k': 'v'}], 'b': [{'c': 1, 'd': 2}]})

    def test_refusals(self):
        cases = {
            'a: &x 1\n': True, 'a: *x\n': True, 'a: !!str 1\n': True, 'a: |\n  x\n': True,
            'a: >\n  x\n': True, 'a: "x\n  y"\n': True, 'a: x\n  y\n': True, '? a\n: b\n': True,
            'a: 1\n---\nb: 2\n': True, '%YAML 1.2\n---\na: 1\n': True, 'a: [1,\n 2]\n': True,
            'a: 1\na: 2\n': False, 'a:\n\t- x\n': False, 'a: yes\n': False, 'a: "x\n': True,
            'a: "\\q"\n': False, 'a:\n  b: 1\n c: 2\n': False, 'a: - x\n': False,
        }
        for text, unsupported in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(miniyaml.YAMLError) as e:
                    miniyaml.load(text)
                self.assertEqual(e.exception.unsupported, unsupported, str(e.exception))

    def test_dump_round_trips(self):
        value = {'a': [1, 2.5, None, True, 'x y', 'true', '1', '', 'a: b', '#c', 'ünï\n\t"'],
                 'b': {'c': [], 'd': {}, 'e': [{'f': [['g']], 'h': {'i': 'j'}}]},
                 'run.googleapis.com/ingress': 'all', 'no': 'yes'}
        self.assertEqual(miniyaml.load(miniyaml.dump(value)), value)


# ---- Filters, flatten, formats ------------------------------------------------------------------

RESOURCES = [
    {'displayName': 'my-app (multi-region)', 'name': 'projects/p/dashboards/1'},
    {'displayName': 'My-App (Multi-Region) extra', 'name': 'projects/p/dashboards/2'},
    {'displayName': 'line one\nmy-app (multi-region)', 'name': 'x'},
    {'name': 'neg-a', 'region': 'https://www.googleapis.com/compute/v1/projects/p/regions/'
                                'us-central1'},
    {'metadata': {'name': 'my-app', 'labels': {'multirun-service': 'my-app'},
                  'annotations': {'run.googleapis.com/ingress': 'all'}}, 'region': 'us-central1'},
    {'bindings': {'role': 'roles/run.invoker', 'members': 'allUsers'}},
    {'count': 5, 'ok': True, 'tags': ['a', 'B c']},
    {},
]

# filter -> indexes of RESOURCES it matches (what gcloud 528 answers).
FILTERS = {
    'displayName<="my-app (multi-region)" AND displayName>="my-app (multi-region)"': [0],
    'displayName="my-app (multi-region)"': [0, 2],
    'displayName=my-app': [],
    'displayName:my-app': [0, 1, 2],
    'displayName:app*': [],
    'displayName:*': [0, 1, 2],
    'displayName~^my-app': [0],
    'region=us-central1': [3, 4],
    'region:us-central1': [3, 4],
    'name=neg-a': [3],
    'name~"^neg-(a|b)$"': [3],
    'metadata.name=my-app': [4],
    'metadata.labels.multirun-service=my-app': [4],
    'metadata.annotations."run.googleapis.com/ingress"=all': [4],
    'bindings.role=roles/run.invoker AND bindings.members=allUsers': [5],
    'count=5': [6], 'count>=4': [6], 'count<=4': [0, 1, 2, 3, 4, 5, 7], 'ok=true': [6],
    'tags=a': [6],
    'tags:b': [6], 'missing=""': [0, 1, 2, 3, 4, 5, 6, 7],
}

UNSUPPORTED_FILTERS = [
    'a=1 OR b=2', 'NOT a=1', '-a=1', '(a=1)', 'a!=1', 'a<1', 'a>1', 'a=1 b=2', "a='x'",
    'a=', 'a~"(?=x)"', 'a~"(x)\\1"', 'name~^a(-b)?$', 'a="x\\n"', 'a=1 AND', 'a = 1', '',
    'a.b[0]=1 OR',
]


class TestFilters(unittest.TestCase):
    def test_operators(self):
        for expression, expected in FILTERS.items():
            with self.subTest(expression=expression):
                f = projection.Filter(expression)
                self.assertEqual([i for i, r in enumerate(RESOURCES) if f.matches(r)], expected)

    def test_unsupported(self):
        for expression in UNSUPPORTED_FILTERS:
            with self.subTest(expression=expression):
                with self.assertRaises(projection.Unsupported):
                    projection.Filter(expression)

    def test_quoted_values_carry_any_text(self):
        title = 'Dashboard it\'s "q" $(x) `y` ${HOME} \\ %{x} {{x}} ;|&<> # ünï ☃ 日本\nline\ttab'
        literal = '"' + title.replace('\\', '\\\\').replace('"', '\\"') + '"'
        f = projection.Filter(f'displayName<={literal} AND displayName>={literal}')
        self.assertTrue(f.matches({'displayName': title}))
        self.assertFalse(f.matches({'displayName': title + ' '}))

    def test_flatten(self):
        policy = {'bindings': [{'role': 'r1', 'members': ['a', 'b']},
                               {'role': 'r2', 'members': ['c']}], 'etag': 'e'}
        out = projection.flatten([policy, {'etag': 'ACAB'}, {'bindings': []}],
                                 projection.flatten_keys('bindings[].members'))
        self.assertEqual(out, [{'bindings': {'role': 'r1', 'members': 'a'}, 'etag': 'e'},
                               {'bindings': {'role': 'r1', 'members': 'b'}, 'etag': 'e'},
                               {'bindings': {'role': 'r2', 'members': 'c'}, 'etag': 'e'}, None])

    def test_value_format(self):
        resources = [{'name': 'n', 'region': 'https://x/regions/us-central1',
                      'tags': ['a', '', 'c'], 'labels': {'b': '2', 'a': 'x'}, 'f': 1.0, 'ok': True,
                      'backends': [{'group': 'u/n1'}, {'group': 'u/n2'}],
                      'metadata': {'annotations': {'run.googleapis.com/ingress': 'all'}}},
                     {'name': 'm'}]
        cases = {
            'value(name)': 'n\nm\n',
            'value(name,region.basename())': 'n\tus-central1\nm\t\n',
            'value(tags)': 'a;;c\n\n',
            'value(labels)': 'a=x;b=2\n\n',
            'value(f, ok)': '1.0\tTrue\n\t\n',
            'value(backends[].group.basename())': 'n1;n2\n\n',
            'value(backends[0].group)': 'u/n1\n\n',
            'value(metadata.annotations."run.googleapis.com/ingress")': 'all\n\n',
            'value(missing)': '\n\n',
        }
        for expression, expected in cases.items():
            with self.subTest(expression=expression):
                self.assertEqual(projection.Format(expression).render(resources, False), expected)
        self.assertEqual(json.loads(projection.Format('json').render(resources, False)), resources)
        self.assertEqual(json.loads(projection.Format('json').render(resources, True)),
                         resources[0])
        self.assertEqual(projection.Format('none').render(resources, False), '')
        self.assertEqual(miniyaml.load(projection.Format('yaml').render(resources, True)),
                         resources[0])

    def test_unsupported_formats(self):
        for expression in ['table(name)', 'csv(name)', 'value[separator=","](name)',
                           'value(name.scope())', 'value(name:label=N)', 'value()', 'get(name)',
                           'flattened', 'value(name']:
            with self.subTest(expression=expression):
                with self.assertRaises(projection.Unsupported):
                    projection.Format(expression)


def real_gcloud_python():
    """(SDK root, its Python) of an installed Google Cloud CLI, or None."""
    gcloud = shutil.which('gcloud')
    if not gcloud or os.path.realpath(gcloud).startswith(HERE):
        return None
    with tempfile.TemporaryDirectory() as config:
        env = {k: v for k, v in os.environ.items() if not k.startswith('CLOUDSDK_')}
        env.update(CLOUDSDK_CONFIG=config, CLOUDSDK_CORE_DISABLE_PROMPTS='1',
                   CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK='true')
        try:
            r = subprocess.run([gcloud, 'info', '--format=value(installation.sdk_root,'
                                'basic.python_location)'], capture_output=True, text=True,
                               env=env, timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            return None
    if r.returncode != 0 or '\t' not in r.stdout:
        return None
    return r.stdout.strip().split('\t')


GCLOUD_CHECK = r'''
import io, json, sys
sdk = sys.argv[1]
sys.path[:0] = [sdk + '/lib', sdk + '/lib/third_party']
from googlecloudsdk.core.resource import resource_filter, resource_printer, resource_lex
from googlecloudsdk.calliope import display_taps
from googlecloudsdk.core.util import peek_iterable
data = json.load(sys.stdin)
out = {'filters': {}, 'formats': {}}
for f in data['filters']:
    c = resource_filter.Compile(f)
    out['filters'][f] = [i for i, r in enumerate(data['resources']) if c.Evaluate(r)]
for f in data['formats']:
    buf = io.StringIO()
    resource_printer.Print(data['format_resources'], f, out=buf)
    out['formats'][f] = buf.getvalue()
items = data['policies']
for key in ['bindings', 'bindings.members']:
    items = list(peek_iterable.Tapper(items, display_taps.Flattener(resource_lex.Lexer(key).Key())))
out['flatten'] = items
print(json.dumps(out))
'''


class TestAgainstRealGcloud(unittest.TestCase):
    """The filters, formats and flattening agree with gcloud's own code, when it is installed."""

    def test_same_answers_as_gcloud(self):
        found = real_gcloud_python()
        if not found:
            self.skipTest('the Google Cloud CLI is not installed')
        sdk, python = found
        format_resources = [{'name': 'n', 'region': 'https://x/regions/r', 'tags': ['a', '', 'c'],
                             'labels': {'b': '2', 'a': 'x'}, 'f': 1.0, 'g': 2.5, 'ok': True,
                             'count': 5, 'backends': [{'group': 'u/n1'}, {'group': 'u/n2'}]},
                            {'name': 'm'}]
        formats = ['value(name)', 'value(region.basename())', 'value(tags)', 'value(labels)',
                   'value(f,g,ok,count)', 'value(backends[].group.basename())', 'value(missing)']
        policies = [{'bindings': [{'role': 'r1', 'members': ['a', 'b']}], 'etag': 'e'},
                    {'etag': 'ACAB'}, {'bindings': []}]
        data = {'resources': RESOURCES, 'filters': list(FILTERS), 'formats': formats,
                'format_resources': format_resources, 'policies': policies}
        r = subprocess.run([python, '-c', GCLOUD_CHECK, sdk], input=json.dumps(data),
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        real = json.loads(r.stdout)
        for expression, expected in real['filters'].items():
            with self.subTest(filter=expression):
                f = projection.Filter(expression)
                self.assertEqual([i for i, x in enumerate(RESOURCES) if f.matches(x)], expected)
        for expression, expected in real['formats'].items():
            with self.subTest(format=expression):
                self.assertEqual(projection.Format(expression).render(format_resources, False),
                                 expected)
        flattened = projection.flatten(policies, projection.flatten_keys('bindings[].members'))
        self.assertEqual(flattened, real['flatten'])


# ---- The command line ------------------------------------------------------------------------


class TestCommandLine(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def test_unknown_command_verb_and_flag_exit_2_naming_them(self):
        c = self.cloud
        c.fails(2, 'storage', 'ls', contains="Invalid choice: 'storage'")
        c.fails(2, 'compute', 'instances', 'list', contains="Invalid choice: 'instances'")
        c.fails(2, 'compute', 'addresses', 'update', 'ip', '--global',
                contains="Invalid choice: 'update'")
        c.fails(2, 'compute', 'addresses', 'create', 'ip', '--global', '--foo=1',
                contains='unrecognized arguments: --foo=1')
        c.fails(2, 'compute', 'addresses', 'describe', 'ip', '--global', '--region=us-central1',
                contains='unrecognized arguments: --region=us-central1')
        c.fails(2, 'run', 'services', 'replace', 'f.yaml', '--region=us-central1', '--async',
                contains='unrecognized arguments: --async')
        c.fails(2, 'compute', 'addresses', contains='Command name argument expected')
        c.fails(2, 'run', 'services', 'describe', 'a', 'b', '--region=us-central1',
                contains='unrecognized arguments: b')
        c.fails(2, '--help', contains='Command name argument expected')

    def test_required_flags_and_arguments(self):
        c = self.cloud
        c.fails(2, 'run', 'services', 'describe', 'a', contains='argument --region: Must be '
                'specified')
        c.fails(2, 'run', 'services', 'describe', '--region=us-central1',
                contains='argument SERVICE: Must be specified')
        c.fails(2, 'compute', 'addresses', 'describe', 'ip', contains='argument --global')
        c.fails(2, 'compute', 'url-maps', 'import', 'um', '--global',
                contains='argument --source: Must be specified')
        c.fails(2, 'compute', 'addresses', 'describe', 'ip', '--global=yes',
                contains='ignored explicit argument')
        c.fails(2, 'run', 'services', 'describe', 'a', '--region',
                contains='argument --region: expected one argument')

    def test_flag_forms(self):
        c = self.cloud
        c.ok('compute', 'addresses', 'create', 'ip', '--global', '--ip-version', 'IPV4',
             '--network-tier', 'PREMIUM', '-q')
        r = c.ok('compute', 'addresses', 'describe', 'ip', '--format', 'value(address)',
                 '--global', '--verbosity=error')
        self.assertRegex(r.stdout, r'^203\.0\.113\.[0-9]+\n$')
        r = c.run('--project', P, 'compute', 'addresses', 'describe', 'ip', '--global',
                  project=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        c.fails(2, 'compute', 'addresses', 'list', '--verbosity=loud', contains='--verbosity')
        c.fails(2, 'compute', 'addresses', 'list', '--limit=0', contains='--limit')
        c.fails(2, 'compute', 'addresses', 'list', '--format=table(name)',
                contains='unsupported --format')
        c.fails(2, 'compute', 'addresses', 'list', '--filter=name=a OR name=b',
                contains='unsupported filter syntax')
        c.fails(2, 'compute', 'addresses', 'create', 'ip2', '--global', '--ip-version=IPV5',
                contains='Invalid choice')

    def test_project(self):
        c = self.cloud
        c.fails(1, 'compute', 'addresses', 'list', project=None,
                contains='FAILED_PRECONDITION: The required property [project]')
        c.fails(1, 'compute', 'addresses', 'list', project='Bad_Project',
                contains='INVALID_ARGUMENT')
        c.ok('compute', 'addresses', 'create', 'ip', '--global')
        self.assertEqual(c.record('compute.globalAddress', 'ip')['project'], P)
        c.fails(1, 'compute', 'addresses', 'list', project='other-project',
                contains='PERMISSION_DENIED')
        c.fails(1, 'compute', 'addresses', 'create', 'ip2', '--global', project='other-project',
                contains='PERMISSION_DENIED')

    def test_pinned_project(self):
        c = self.cloud
        with open(c.state_path, 'w') as f:
            json.dump({'project': 'pinned-project', 'resources': []}, f)
        c.fails(1, 'services', 'enable', 'run.googleapis.com', contains='PERMISSION_DENIED')
        c.ok('services', 'enable', 'run.googleapis.com', project='pinned-project')

    def test_state_env_is_required(self):
        r = subprocess.run([GCLOUD, 'compute', 'addresses', 'list',
                            f'--project={P}'], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items()
                                if not k.startswith('FAKECLOUD_')})
        self.assertEqual(r.returncode, 2)
        self.assertIn('FAKECLOUD_STATE is not set', r.stderr)

    def test_services_enable(self):
        c = self.cloud
        c.ok('services', 'enable', 'run.googleapis.com', 'compute.googleapis.com')
        self.assertIsNone(c.raw(), 'enabling APIs wrote a state')
        c.fails(1, 'services', 'enable', 'nope', contains='NOT_FOUND')
        c.fails(2, 'services', 'enable', contains='argument SERVICE...: Must be specified')

    def test_corrupt_state(self):
        c = self.cloud
        with open(c.state_path, 'w') as f:
            f.write('{"resources": [{"type": "compute.vm", "name": "x", "region": null}]}')
        c.fails(2, 'compute', 'addresses', 'list', contains='not a fakecloud resource')
        with open(c.state_path, 'w') as f:
            f.write('not json')
        c.fails(2, 'compute', 'addresses', 'list', contains='is not JSON')


# ---- Cloud Run ---------------------------------------------------------------------------------


class TestRunServices(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def test_replace_records_the_service(self):
        c = self.cloud
        c.service(region='europe-west1', min_='2')
        r = c.record('run.service', 'my-app', 'europe-west1')
        self.assertEqual(r['annotations'], {
            'run.googleapis.com/ingress': 'internal-and-cloud-load-balancing',
            'run.googleapis.com/invoker-iam-disabled': 'true'})
        self.assertEqual(r['labels'], {'team': 'platform'})
        self.assertEqual(r['iamBindings'], [])
        self.assertEqual(r['image'], 'us-docker.pkg.dev/p/r/app:v1')
        self.assertEqual(r['templateAnnotations']['autoscaling.knative.dev/minScale'], '2')
        self.assertEqual(r['env'][0], {'name': 'CLOUD_RUN_REGION', 'value': 'europe-west1'})
        self.assertEqual(sorted(r['probes']), ['livenessProbe', 'startupProbe'])
        self.assertEqual(r['spec']['traffic'], [{'percent': 100, 'latestRevision': True}])
        self.assertEqual(list(r)[:4], ['type', 'name', 'region', 'project'])

    def test_describe_list_delete(self):
        c = self.cloud
        c.service(region='us-central1')
        c.service(region='asia-east1')
        c.service(name='other', region='asia-east1')
        r = json.loads(c.ok('run', 'services', 'describe', 'my-app', '--region=asia-east1',
                            '--format=json').stdout)
        self.assertEqual(r['metadata']['name'], 'my-app')
        self.assertEqual(r['metadata']['namespace'], P)
        self.assertEqual(r['metadata']['labels']['cloud.googleapis.com/location'], 'asia-east1')
        self.assertEqual(r['region'], 'asia-east1')
        self.assertEqual(r['kind'], 'Service')
        r = c.ok('run', 'services', 'list', '--filter=metadata.name~"^my-app$"',
                 '--format=value(metadata.name,region)')
        self.assertEqual(sorted(r.stdout.splitlines()),
                         ['my-app\tasia-east1', 'my-app\tus-central1'])
        r = c.ok('run', 'services', 'list', '--region=asia-east1', '--format=value(metadata.name)')
        self.assertEqual(sorted(r.stdout.split()), ['my-app', 'other'])
        r = c.ok('run', 'services', 'list', '--filter=metadata.annotations."run.googleapis.com/'
                 'ingress"=internal-and-cloud-load-balancing', '--format=json', '--limit=2')
        self.assertEqual(len(json.loads(r.stdout)), 2)
        c.ok('run', 'services', 'delete', 'my-app', '--region=asia-east1', '--quiet')
        c.fails(1, 'run', 'services', 'describe', 'my-app', '--region=asia-east1',
                contains='NOT_FOUND')
        c.fails(1, 'run', 'services', 'delete', 'my-app', '--region=asia-east1',
                contains='NOT_FOUND')
        self.assertEqual(len(c.records('run.service')), 2)

    def test_iam(self):
        c = self.cloud
        c.service()
        region = '--region=us-central1'
        policy = json.loads(c.ok('run', 'services', 'get-iam-policy', 'my-app', region,
                                 '--format=json').stdout)
        self.assertEqual(policy, {'etag': 'ACAB'})
        for member in ('allUsers', 'user:a@example.com', 'allUsers'):
            c.ok('run', 'services', 'add-iam-policy-binding', 'my-app', region,
                 f'--member={member}', '--role=roles/run.invoker')
        c.ok('run', 'services', 'add-iam-policy-binding', 'my-app', region,
             '--member=group:g@example.com', '--role=roles/run.developer')
        self.assertEqual(c.record('run.service', 'my-app', 'us-central1')['iamBindings'], [
            {'role': 'roles/run.developer', 'members': ['group:g@example.com']},
            {'role': 'roles/run.invoker', 'members': ['allUsers', 'user:a@example.com']}])
        # The query deploy.sh makes.
        query = ('run', 'services', 'get-iam-policy', 'my-app', region,
                 '--flatten=bindings[].members',
                 '--filter=bindings.role=roles/run.invoker AND bindings.members=allUsers',
                 '--format=value(bindings.members)')
        self.assertEqual(c.ok(*query).stdout, 'allUsers\n')
        # A replace keeps the bindings.
        c.service(public='false')
        self.assertEqual(len(c.record('run.service', 'my-app', 'us-central1')['iamBindings']), 2)
        c.ok('run', 'services', 'remove-iam-policy-binding', 'my-app', region,
             '--member=allUsers', '--role=roles/run.invoker')
        self.assertEqual(c.ok(*query).stdout, '')
        c.fails(1, 'run', 'services', 'remove-iam-policy-binding', 'my-app', region,
                '--member=allUsers', '--role=roles/run.invoker',
                contains='Policy binding with the specified principal, role, and condition not '
                'found')
        c.fails(1, 'run', 'services', 'add-iam-policy-binding', 'my-app', region,
                '--member=bob', '--role=roles/run.invoker', contains='INVALID_ARGUMENT')
        c.fails(1, 'run', 'services', 'add-iam-policy-binding', 'my-app', region,
                '--member=allUsers', '--role=run.invoker', contains='INVALID_ARGUMENT')
        c.fails(1, 'run', 'services', 'add-iam-policy-binding', 'nope', region,
                '--member=allUsers', '--role=roles/run.invoker', contains='NOT_FOUND')
        c.fails(1, 'run', 'services', 'add-iam-policy-binding', 'my-app', region,
                '--member=allUsers', '--role=roles/run.invoker',
                env={'FAKECLOUD_DOMAIN_RESTRICTED_SHARING': '1'}, contains='FAILED_PRECONDITION')
        c.fails(2, 'run', 'services', 'add-iam-policy-binding', 'my-app', region,
                '--member=allUsers', contains='argument --role: Must be specified')

    def test_update_invoker_iam_check(self):
        c = self.cloud
        c.service(public='false')
        region = '--region=us-central1'
        key = 'run.googleapis.com/invoker-iam-disabled'
        c.ok('run', 'services', 'update', 'my-app', region, '--no-invoker-iam-check')
        self.assertEqual(c.record('run.service', 'my-app', 'us-central1')['annotations'][key],
                         'True')
        c.ok('run', 'services', 'update', 'my-app', region, '--invoker-iam-check')
        self.assertEqual(c.record('run.service', 'my-app', 'us-central1')['annotations'][key],
                         'False')
        c.fails(1, 'run', 'services', 'update', 'my-app', region,
                contains='No configuration change requested')
        c.fails(2, 'run', 'services', 'update', 'my-app', region, '--invoker-iam-check',
                '--no-invoker-iam-check', contains='at most one')
        c.fails(1, 'run', 'services', 'update', 'nope', region, '--invoker-iam-check',
                contains='NOT_FOUND')

    def test_replace_refusals(self):
        c = self.cloud
        good = SERVICE_YAML.format(name='my-app', region='us-central1', public='true', min='1',
                                   image='img')
        cases = {
            'kind: Service\n': 'expected apiVersion',
            good.replace('kind: Service', 'kind: Job'): 'expected apiVersion',
            good.replace('name: "my-app"', 'name: "My_App"'): 'service name',
            good.replace('metadata:\n  name: "my-app"\n', 'metadata:\n'):
                'metadata.name is required',
            good.replace('minScale: "1"', 'minScale: 1'): 'must be a string',
            good.replace('minScale: "1"', 'minScale: "200"'): 'greater than maxScale',
            good.replace('minScale: "1"', 'minScale: "one"'): 'non-negative integer',
            good.replace('"internal-and-cloud-load-balancing"', '"internal-only"'):
                'run.googleapis.com/ingress',
            good.replace('invoker-iam-disabled: "true"', 'invoker-iam-disabled: "maybe"'):
                'invoker-iam-disabled',
            good.replace('"team": "platform"\n  annotations', '"team": 7\n  annotations'):
                'must be a string',
            good.replace('"GREETING"', '"PORT"'): 'reserved env names',
            good.replace('"GREETING"', '"CLOUD_RUN_REGION"'): 'set twice',
            good.replace('      - image: "img"\n', '      - name: "c"\n'): 'image is required',
            good.replace('containerConcurrency: 80', 'containerConcurrency: 5000'):
                'containerConcurrency',
            good.replace('timeoutSeconds: 300', 'timeoutSeconds: 0'): 'timeoutSeconds',
            good.replace('kind: Service\n', 'kind: Service\nextra: 1\n'): 'unknown field',
            good.replace('  name: "my-app"\n', '  name: "my-app"\n  namespace: "other"\n'):
                'metadata.namespace',
            good.replace('    "team": "platform"\n  annotations',
                         '    "cloud.googleapis.com/location": "asia-east1"\n  annotations'):
                'cloud.googleapis.com/location',
            'a: 1\na: 2\n': 'duplicate key',
        }
        for text, message in cases.items():
            with self.subTest(message=message, text=text[:60]):
                path = c.write(text)
                c.fails(1, 'run', 'services', 'replace', path, '--region=us-central1',
                        contains=message)
        for text in ('a: &x 1\n', 'a: "multi-line or unterminated\n'):
            c.fails(2, 'run', 'services', 'replace', c.write(text), '--region=us-central1',
                    contains="outside the fake's YAML subset")
        c.fails(1, 'run', 'services', 'replace', os.path.join(c.dir, 'missing.yaml'),
                '--region=us-central1', contains='Unable to read file')
        c.fails(1, 'run', 'services', 'replace', c.write(good), '--region=Nowhere',
                contains='not a region')
        self.assertEqual(c.records(), [])


# ---- Compute ---------------------------------------------------------------------------------


class TestMultiRegionServices(unittest.TestCase):
    def multi_region_yaml(self, c, regions='us-central1,europe-west1'):
        text = SERVICE_YAML.format(name='my-app', region='-', public='true', min='1',
                                   image='us-docker.pkg.dev/p/r/app:v1')
        text = text.replace('  annotations:\n', f'  annotations:\n    run.googleapis.com/regions: '
                            f'"{regions}"\n', 1)
        return c.write(text)

    def test_replace_describe_delete(self):
        c = Cloud(self)
        c.ok('run', 'multi-region-services', 'replace', self.multi_region_yaml(c))
        record = c.record('run.multiRegionService', 'my-app')
        self.assertEqual(record['regions'], ['us-central1', 'europe-west1'])
        out = c.ok('run', 'multi-region-services', 'describe', 'my-app',
                   '--format=value(metadata.labels.team)').stdout
        self.assertEqual(out.strip(), 'platform')
        c.ok('run', 'multi-region-services', 'delete', 'my-app', '--quiet')
        self.assertEqual(c.records('run.multiRegionService'), [])
        c.fails(1, 'run', 'multi-region-services', 'describe', 'my-app', contains='NOT_FOUND')

    def test_the_name_is_taken_in_each_region(self):
        c = Cloud(self)
        c.service(region='europe-west1')
        c.fails(1, 'run', 'multi-region-services', 'replace', self.multi_region_yaml(c),
                contains='ALREADY_EXISTS')
        c.ok('run', 'services', 'delete', 'my-app', '--region=europe-west1', '--quiet')
        c.ok('run', 'multi-region-services', 'replace', self.multi_region_yaml(c))
        path = c.write(SERVICE_YAML.format(name='my-app', region='us-central1', public='true',
                                           min='1', image='us-docker.pkg.dev/p/r/app:v1'))
        c.fails(1, 'run', 'services', 'replace', path, '--region=us-central1',
                contains='ALREADY_EXISTS')
        c.service(region='asia-east1')  # outside the multi-region service: allowed

    def test_the_regions_annotation_is_required(self):
        c = Cloud(self)
        path = c.write(SERVICE_YAML.format(name='my-app', region='-', public='true', min='1',
                                           image='us-docker.pkg.dev/p/r/app:v1'))
        c.fails(1, 'run', 'multi-region-services', 'replace', path,
                contains='run.googleapis.com/regions')


class TestNegs(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def test_lifecycle(self):
        c = self.cloud
        c.neg('neg-a', 'us-central1')
        c.neg('neg-b', 'asia-east1')
        self.assertEqual(c.record('compute.networkEndpointGroup', 'neg-a', 'us-central1'), {
            'type': 'compute.networkEndpointGroup', 'name': 'neg-a', 'region': 'us-central1',
            'project': P, 'cloudRun': {'service': 'my-app'}, 'networkEndpointType': 'SERVERLESS'})
        r = c.ok('compute', 'network-endpoint-groups', 'list', '--filter=name~"^neg-[a-z]$"',
                 '--format=value(name,region.basename())')
        self.assertEqual(r.stdout, 'neg-b\tasia-east1\nneg-a\tus-central1\n')
        r = c.ok('compute', 'network-endpoint-groups', 'list', '--filter=region=asia-east1',
                 '--format=value(name)')
        self.assertEqual(r.stdout, 'neg-b\n')
        r = c.ok('compute', 'network-endpoint-groups', 'list', '--regions=us-central1',
                 '--format=value(name)')
        self.assertEqual(r.stdout, 'neg-a\n')
        self.assertEqual(c.ok('compute', 'network-endpoint-groups', 'list', '--global',
                              '--format=value(name)').stdout, '')
        view = json.loads(c.ok('compute', 'network-endpoint-groups', 'describe', 'neg-a',
                               '--region=us-central1', '--format=json').stdout)
        self.assertEqual(view['region'], 'https://www.googleapis.com/compute/v1/projects/'
                         'my-project/regions/us-central1')
        self.assertEqual(view['selfLink'], neg_url('neg-a', 'us-central1'))
        c.fails(1, 'compute', 'network-endpoint-groups', 'create', 'neg-a',
                '--region=us-central1', '--network-endpoint-type=serverless',
                '--cloud-run-service=x', contains='ALREADY_EXISTS')
        c.fails(1, 'compute', 'network-endpoint-groups', 'describe', 'neg-a',
                '--region=asia-east1', contains='NOT_FOUND')
        c.fails(2, 'compute', 'network-endpoint-groups', 'create', 'neg-c',
                '--region=us-central1', '--network-endpoint-type=gce-vm-ip-port',
                contains='serverless NEGs only')
        c.fails(2, 'compute', 'network-endpoint-groups', 'create', 'neg-c',
                '--region=us-central1', '--network-endpoint-type=serverless',
                contains='--cloud-run-service')
        c.fails(1, 'compute', 'network-endpoint-groups', 'create', 'Neg_C',
                '--region=us-central1', '--network-endpoint-type=serverless',
                '--cloud-run-service=x', contains="'resource.name'")
        c.ok('compute', 'network-endpoint-groups', 'delete', 'neg-b', '--region=asia-east1',
             '--quiet')
        c.fails(1, 'compute', 'network-endpoint-groups', 'delete', 'neg-b',
                '--region=asia-east1', contains='NOT_FOUND')

    def test_in_use_by_a_backend_service(self):
        c = self.cloud
        c.neg()
        c.backend()
        c.fails(1, 'compute', 'network-endpoint-groups', 'delete', 'neg-a',
                '--region=us-central1', contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: The '
                "network_endpoint_group resource 'projects/my-project/regions/us-central1/"
                "networkEndpointGroups/neg-a' is already being used by 'projects/my-project/"
                "global/backendServices/bs'")


class TestBackendServices(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)
        self.cloud.neg('neg-a', 'us-central1')
        self.cloud.neg('neg-b', 'asia-east1')

    def import_(self, text, name='bs', code=0, contains=None):
        path = self.cloud.write(text)
        args = ('compute', 'backend-services', 'import', name, '--global', f'--source={path}',
                '--quiet')
        if code:
            return self.cloud.fails(code, *args, contains=contains)
        return self.cloud.ok(*args)

    def test_import_creates_then_patches(self):
        c = self.cloud
        self.import_(c.backend_yaml(negs=[('neg-a', 'us-central1'), ('neg-b', 'asia-east1')],
                                    extra=OUTLIER + 'description: "fp1"\n'))
        r = c.record('compute.backendService', 'bs')
        self.assertEqual([b['group'] for b in r['backends']],
                         [neg_url('neg-a', 'us-central1'), neg_url('neg-b', 'asia-east1')])
        self.assertEqual(r['loadBalancingScheme'], 'EXTERNAL_MANAGED')
        self.assertEqual(r['outlierDetection']['consecutiveGatewayFailure'], 3)
        # A re-import without outlierDetection clears it (gcloud lists it as cleared) and keeps
        # fields it does not clear (description); an empty backends list keeps the backends.
        self.import_('name: "bs"\nbackends: []\n')
        r = c.record('compute.backendService', 'bs')
        self.assertNotIn('outlierDetection', r)
        self.assertEqual(r['description'], 'fp1')
        self.assertEqual(len(r['backends']), 2)
        self.import_(c.backend_yaml(negs=[('neg-b', 'asia-east1')]))
        self.assertEqual(c.record('compute.backendService', 'bs')['backends'],
                         [{'group': neg_url('neg-b', 'asia-east1')}])
        r = c.ok('compute', 'backend-services', 'list', '--global', '--filter=name~"^bs$"',
                 '--format=value(name,backends[].group.basename())')
        self.assertEqual(r.stdout, 'bs\tneg-b\n')
        r = c.ok('compute', 'backend-services', 'describe', 'bs', '--global',
                 '--format=value(description)')
        self.assertEqual(r.stdout, 'fp1\n')
        self.import_('name: "bs2"\nbackends:\n- group: "%s"\n' % neg_url('neg-a', 'us-central1'),
                     name='bs2')
        self.assertEqual(c.record('compute.backendService', 'bs2')['loadBalancingScheme'],
                         'EXTERNAL')

    def test_refusals(self):
        c = self.cloud
        url = neg_url('neg-a', 'us-central1')
        cases = [
            (c.backend_yaml(extra='healthChecks:\n- "hc"\n'), 'cannot have a healthcheck'),
            (c.backend_yaml(extra='timeoutSec: 30\n'), 'timeoutSec'),
            (f'name: "bs"\nloadBalancingScheme: EXTERNAL_MANAGED\nbackends:\n- group: "{url}"\n'
             '  balancingMode: UTILIZATION\n', 'balancingMode'),
            (f'name: "bs"\nbackends:\n- group: "{url}"\n  capacityScaler: 1.0\n',
             'capacityScaler'),
            (f'name: "bs"\nbackends:\n- group: "{url}"\n  maxRatePerInstance: 10\n',
             'maxRatePerInstance'),
            (c.backend_yaml(negs=[('neg-z', 'us-central1')]), 'NOT_FOUND'),
            ('name: "bs"\nbackends:\n- group: "projects/my-project/regions/us-central1/'
             'networkEndpointGroups/neg-a"\n', 'full URL'),
            (c.backend_yaml(negs=[('neg-a', 'us-central1'), ('neg-a', 'us-central1')]),
             'duplicate backend'),
            (c.backend_yaml(extra='bogus: 1\n'), "unknown field(s) 'bogus'"),
            (f'name: "bs"\nbackends:\n- group: "{url}"\n  weight: 1\n',
             "unknown field(s) 'weight'"),
            (c.backend_yaml(name='other'), 'differs'),
            ('loadBalancingScheme: EXTERNAL_MANAGED\n', "Required field 'resource.name'"),
            (c.backend_yaml(scheme='EXTERNAL', extra=OUTLIER), 'outlier detection'),
            (c.backend_yaml(scheme='INTERNAL'), 'regional'),
            (c.backend_yaml(scheme='CLASSIC'), 'loadBalancingScheme'),
            ('name: "bs"\nbackends:\n- {}\n', "'resource.backends[0].group' not specified"),
        ]
        for text, message in cases:
            with self.subTest(message=message):
                self.import_(text, code=1, contains=message)
        self.import_(c.backend_yaml())
        self.import_(c.backend_yaml(scheme='EXTERNAL'), code=1, contains='cannot be changed')
        block_scalar = c.write('a: |\n  x\n')
        c.fails(2, 'compute', 'backend-services', 'import', 'bs', '--global',
                f'--source={block_scalar}', contains='YAML subset')

    def test_delete_in_use_by_a_url_map(self):
        c = self.cloud
        c.backend()
        c.url_map()
        c.fails(1, 'compute', 'backend-services', 'delete', 'bs', '--global',
                contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
        view = json.loads(c.ok('compute', 'backend-services', 'describe', 'bs', '--global',
                               '--format=json').stdout)
        self.assertEqual(view['usedBy'], [{'reference': 'https://www.googleapis.com/compute/v1/'
                                                        'projects/my-project/global/urlMaps/um'}])
        c.ok('compute', 'url-maps', 'delete', 'um', '--global', '--quiet')
        c.ok('compute', 'backend-services', 'delete', 'bs', '--global', '--quiet')
        c.fails(1, 'compute', 'backend-services', 'describe', 'bs', '--global',
                contains="NOT_FOUND: The resource 'projects/my-project/global/backendServices/bs' "
                'was not found')


WEIGHTED = '''\
name: "um"
defaultRouteAction:
  weightedBackendServices:
  - backendService: "{a}"
    weight: 70
  - backendService: "{b}"
    weight: 30
'''

REDIRECT = '''\
name: "redirect"
defaultUrlRedirect:
  httpsRedirect: true
  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT
  stripQuery: false
'''


class TestUrlMaps(unittest.TestCase):
    def setUp(self):
        c = self.cloud = Cloud(self)
        c.neg('neg-a', 'us-central1')
        c.neg('neg-b', 'asia-east1')
        c.backend('bs-a', negs=[('neg-a', 'us-central1')])
        c.backend('bs-b', negs=[('neg-b', 'asia-east1')])

    def import_(self, text, name='um', code=0, contains=None):
        path = self.cloud.write(text)
        args = ('compute', 'url-maps', 'import', name, '--global', f'--source={path}', '--quiet')
        if code:
            return self.cloud.fails(code, *args, contains=contains)
        return self.cloud.ok(*args)

    def test_nearest_weighted_redirect(self):
        c = self.cloud
        self.import_('name: "um"\ndefaultService: "global/backendServices/bs-a"\n')
        self.assertEqual(c.record('compute.urlMap', 'um')['defaultService'], bs_url('bs-a'))
        # Weighted replaces it: defaultService is cleared, as gcloud's import clears it.
        self.import_(WEIGHTED.format(a=bs_url('bs-a'), b=bs_url('bs-b')))
        r = c.record('compute.urlMap', 'um')
        self.assertNotIn('defaultService', r)
        self.assertEqual(r['defaultRouteAction']['weightedBackendServices'],
                         [{'backendService': bs_url('bs-a'), 'weight': 70},
                          {'backendService': bs_url('bs-b'), 'weight': 30}])
        self.import_(REDIRECT, name='redirect')
        self.assertEqual(c.record('compute.urlMap', 'redirect')['defaultUrlRedirect'],
                         {'httpsRedirect': True, 'redirectResponseCode':
                          'MOVED_PERMANENTLY_DEFAULT', 'stripQuery': False})
        c.fails(1, 'compute', 'backend-services', 'delete', 'bs-b', '--global',
                contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
        r = c.ok('compute', 'url-maps', 'list', '--format=value(name)')
        self.assertEqual(r.stdout, 'redirect\num\n')

    def test_refusals(self):
        c = self.cloud
        a, b = bs_url('bs-a'), bs_url('bs-b')
        c.backend('classic', negs=[('neg-a', 'us-central1')], scheme='EXTERNAL')
        cases = [
            (WEIGHTED.format(a=a, b=b) + f'defaultService: "{a}"\n', 'weightedBackendServices'),
            (WEIGHTED.format(a=a, b=bs_url('classic')), 'EXTERNAL_MANAGED'),
            (WEIGHTED.format(a=a, b=bs_url('missing')), 'NOT_FOUND'),
            ('name: "um"\ndefaultService: "%s"\n' % bs_url('missing'), 'NOT_FOUND'),
            (WEIGHTED.format(a=a, b=b).replace('weight: 30', 'weight: 2000'), 'weight'),
            ('name: "um"\ndescription: "x"\n', 'needs a default'),
            (REDIRECT.replace('"redirect"', '"um"') + f'defaultService: "{a}"\n',
             'defaultUrlRedirect'),
            (REDIRECT.replace('"redirect"', '"um"').replace('MOVED_PERMANENTLY_DEFAULT', 'MOVED'),
             'redirectResponseCode'),
            ('name: "um"\ndefaultService: "https://www.googleapis.com/compute/v1/projects/'
             'my-project/global/backendBuckets/b"\n', 'global backend service'),
            ('name: "um"\nhostname: "x"\n', "unknown field(s) 'hostname'"),
            ('name: "other"\ndefaultService: "%s"\n' % a, 'differs'),
        ]
        for text, message in cases:
            with self.subTest(message=message):
                self.import_(text, code=1, contains=message)

    def test_in_use_by_a_proxy(self):
        c = self.cloud
        self.import_(REDIRECT, name='redirect')
        c.ok('compute', 'target-http-proxies', 'create', 'http-proxy', '--global',
             '--url-map=redirect')
        c.fails(1, 'compute', 'url-maps', 'delete', 'redirect', '--global',
                contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
        c.ok('compute', 'target-http-proxies', 'delete', 'http-proxy', '--global')
        c.ok('compute', 'url-maps', 'delete', 'redirect', '--global')


class TestLoadBalancerFrontEnd(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)
        self.cloud.load_balancer()

    def test_records(self):
        c = self.cloud
        address = c.record('compute.globalAddress', 'ip')
        self.assertRegex(address['address'], r'^203\.0\.113\.[0-9]+$')
        self.assertEqual(c.record('compute.sslCertificate', 'cert')['managed'],
                         {'domains': ['app.example.com', 'www.example.com'], 'status': 'ACTIVE'})
        proxy = c.record('compute.targetHttpsProxy', 'https-proxy')
        base = 'https://www.googleapis.com/compute/v1/projects/my-project/global/'
        self.assertEqual(proxy['urlMap'], base + 'urlMaps/um')
        self.assertEqual(proxy['sslCertificates'], [base + 'sslCertificates/cert'])
        rule = c.record('compute.forwardingRule', 'https-rule')
        self.assertEqual((rule['IPAddress'], rule['portRange'], rule['target'],
                          rule['loadBalancingScheme'], rule['networkTier']),
                         (address['address'], '443-443', base + 'targetHttpsProxies/https-proxy',
                          'EXTERNAL_MANAGED', 'PREMIUM'))
        r = c.ok('compute', 'addresses', 'describe', 'ip', '--global', '--format=value(address)')
        self.assertEqual(r.stdout, address['address'] + '\n')
        view = json.loads(c.ok('compute', 'addresses', 'describe', 'ip', '--global',
                               '--format=json').stdout)
        self.assertEqual((view['status'], view['users']),
                         ('IN_USE', [base + 'forwardingRules/https-rule']))
        r = c.ok('compute', 'ssl-certificates', 'describe', 'cert', '--global',
                 '--format=value(managed.status)')
        self.assertEqual(r.stdout, 'ACTIVE\n')
        r = c.ok('compute', 'target-https-proxies', 'describe', 'https-proxy', '--global',
                 '--format=value(sslCertificates)')
        self.assertEqual(r.stdout, base + 'sslCertificates/cert\n')

    def test_self_managed_certificates(self):
        """A certificate uploaded from PEM files (what a user's existing certificate is): it
        goes on a proxy like a Google-managed one; the fake keeps no key."""
        c = self.cloud
        g = '--global'
        cert = c.write(pem('CERTIFICATE', b'\x30\x03\x02\x01\x01'), suffix='.pem')
        key = c.write(pem('PRIVATE KEY', b'\x30\x03\x02\x01\x00'), suffix='.pem')
        c.ok('compute', 'ssl-certificates', 'create', 'mine', g, f'--certificate={cert}',
             f'--private-key={key}')
        record = c.record('compute.sslCertificate', 'mine')
        self.assertNotIn('managed', record)
        self.assertNotIn('PRIVATE', json.dumps(record))
        view = json.loads(c.ok('compute', 'ssl-certificates', 'describe', 'mine', g,
                               '--format=json').stdout)
        self.assertEqual((view['type'], view['certificate']),
                         ('SELF_MANAGED', pem('CERTIFICATE', b'\x30\x03\x02\x01\x01')))
        c.ok('compute', 'target-https-proxies', 'update', 'https-proxy', g,
             '--ssl-certificates=mine,cert')
        c.fails(1, 'compute', 'ssl-certificates', 'delete', 'mine', g,
                contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
        c.fails(2, 'compute', 'ssl-certificates', 'create', 'x', g, f'--certificate={cert}',
                contains='--private-key')
        c.fails(2, 'compute', 'ssl-certificates', 'create', 'x', g, '--domains=a.example.com',
                f'--certificate={cert}', f'--private-key={key}', contains='At most one')
        c.fails(2, 'compute', 'ssl-certificates', 'create', 'x', g, contains='Exactly one')
        c.fails(1, 'compute', 'ssl-certificates', 'create', 'x', g, f'--certificate={key}',
                f'--private-key={key}', contains='not a PEM-encoded certificate')
        c.fails(1, 'compute', 'ssl-certificates', 'create', 'x', g, f'--certificate={cert}',
                f'--private-key={cert}', contains='INVALID_ARGUMENT')
        c.fails(1, 'compute', 'ssl-certificates', 'create', 'x', g,
                f'--certificate={c.dir}/missing.pem', f'--private-key={key}',
                contains='Unable to read certificate')
        c.fails(1, 'compute', 'ssl-certificates', 'create', 'mine', g, f'--certificate={cert}',
                f'--private-key={key}', contains='ALREADY_EXISTS')

    def test_in_use_refusals_in_dependency_order(self):
        c = self.cloud
        for args in [('ssl-certificates', 'cert'), ('addresses', 'ip'),
                     ('target-https-proxies', 'https-proxy'), ('url-maps', 'um'),
                     ('backend-services', 'bs')]:
            with self.subTest(args=args):
                c.fails(1, 'compute', args[0], 'delete', args[1], '--global',
                        contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
        for args in [('forwarding-rules', 'https-rule'), ('target-https-proxies', 'https-proxy'),
                     ('ssl-certificates', 'cert'), ('addresses', 'ip'), ('url-maps', 'um'),
                     ('backend-services', 'bs')]:
            c.ok('compute', args[0], 'delete', args[1], '--global', '--quiet')
        c.ok('compute', 'network-endpoint-groups', 'delete', 'neg-a', '--region=us-central1')
        c.ok('run', 'services', 'delete', 'my-app', '--region=us-central1')
        self.assertEqual(c.records(), [])

    def test_creates_refused(self):
        c = self.cloud
        g = '--global'
        c.fails(1, 'compute', 'addresses', 'create', 'ip', g, contains='ALREADY_EXISTS')
        c.fails(1, 'compute', 'addresses', 'create', 'ip2', g, '--network-tier=STANDARD',
                contains='PREMIUM')
        c.fails(1, 'compute', 'ssl-certificates', 'create', 'cert', g, '--domains=a.example.com',
                contains='ALREADY_EXISTS')
        for domains, message in [('*.example.com', 'Wildcard'), ('not a domain', 'fully qualified'),
                                 ('a.example.com,A.example.com', 'duplicate'),
                                 (','.join(f'd{i}.example.com' for i in range(101)), '1 to 100')]:
            with self.subTest(domains=domains[:40]):
                c.fails(1, 'compute', 'ssl-certificates', 'create', 'cert2', g,
                        f'--domains={domains}', contains=message)
        c.fails(1, 'compute', 'target-https-proxies', 'create', 'p2', g, '--url-map=missing',
                '--ssl-certificates=cert', contains='NOT_FOUND')
        c.fails(1, 'compute', 'target-https-proxies', 'create', 'p2', g, '--url-map=um',
                '--ssl-certificates=cert,missing', contains='NOT_FOUND')
        c.fails(1, 'compute', 'target-https-proxies', 'create', 'p2', g, '--url-map=um',
                '--ssl-certificates=cert,cert', contains='duplicate')
        c.fails(2, 'compute', 'target-https-proxies', 'create', 'p2', g, '--url-map=um',
                contains='argument --ssl-certificates: Must be specified')
        c.fails(1, 'compute', 'target-http-proxies', 'create', 'p3', g, '--url-map=missing',
                contains='NOT_FOUND')
        rule = ('compute', 'forwarding-rules', 'create', 'r2', g,
                '--load-balancing-scheme=EXTERNAL_MANAGED')
        c.fails(1, *rule, '--address=ip', '--target-https-proxy=missing', '--ports=443',
                contains='NOT_FOUND')
        c.fails(1, *rule, '--address=missing', '--target-https-proxy=https-proxy', '--ports=443',
                contains='NOT_FOUND')
        c.fails(1, *rule, '--address=198.51.100.7', '--target-https-proxy=https-proxy',
                '--ports=443', contains='NOT_FOUND')
        c.fails(1, *rule, '--address=ip', '--target-https-proxy=https-proxy', '--ports=443',
                contains='already used by')
        c.fails(1, *rule, '--address=ip', '--target-https-proxy=https-proxy', '--ports=80',
                contains='takes port 443')
        c.fails(1, *rule, '--address=ip', '--target-https-proxy=https-proxy',
                contains='needs --ports')
        c.fails(1, *rule, '--address=ip', '--target-https-proxy=https-proxy', '--ports=443-444',
                contains='single port')
        c.fails(1, *rule, '--address=ip', '--target-https-proxy=https-proxy', '--ports=443',
                '--network-tier=STANDARD', contains='PREMIUM')
        c.fails(2, *rule, '--address=ip', '--ports=443', contains='Exactly one of')
        c.fails(2, 'compute', 'forwarding-rules', 'create', 'r2', g,
                '--load-balancing-scheme=INTERNAL_MANAGED', '--target-https-proxy=https-proxy',
                '--ports=443', contains='external load balancers only')
        c.fails(1, 'compute', 'forwarding-rules', 'create', 'https-rule', g,
                '--target-https-proxy=https-proxy', '--ports=443', contains='ALREADY_EXISTS')

    def test_schemes_must_match(self):
        c = self.cloud
        # gcloud's default scheme is EXTERNAL (classic), which the backend service is not.
        c.ok('compute', 'addresses', 'create', 'ip2', '--global')
        c.fails(1, 'compute', 'forwarding-rules', 'create', 'classic-rule', '--global',
                '--address=ip2', '--target-https-proxy=https-proxy', '--ports=443',
                contains='cannot mix load balancing schemes')
        c.backend('classic-bs', negs=[('neg-a', 'us-central1')], scheme='EXTERNAL')
        classic = c.write(f'name: um\ndefaultService: {bs_url("classic-bs")}\n')
        c.fails(1, 'compute', 'url-maps', 'import', 'um', '--global', f'--source={classic}',
                contains='cannot mix load balancing schemes')

    def test_proxy_updates(self):
        c = self.cloud
        g = '--global'
        c.ok('compute', 'ssl-certificates', 'create', 'cert2', g, '--domains=new.example.com',
             env={'FAKECLOUD_CERT_STATUS': 'PROVISIONING'})
        self.assertEqual(c.record('compute.sslCertificate', 'cert2')['managed']['status'],
                         'PROVISIONING')
        c.ok('compute', 'target-https-proxies', 'update', 'https-proxy', g,
             '--ssl-certificates=cert2,cert')
        base = 'https://www.googleapis.com/compute/v1/projects/my-project/global/sslCertificates/'
        self.assertEqual(c.record('compute.targetHttpsProxy', 'https-proxy')['sslCertificates'],
                         [base + 'cert2', base + 'cert'])
        c.fails(1, 'compute', 'ssl-certificates', 'delete', 'cert2', g,
                contains='RESOURCE_IN_USE_BY_ANOTHER_RESOURCE')
        c.ok('compute', 'target-https-proxies', 'update', 'https-proxy', g,
             '--ssl-certificates=' + base + 'cert2')
        c.ok('compute', 'ssl-certificates', 'delete', 'cert', g)
        c.fails(2, 'compute', 'target-https-proxies', 'update', 'https-proxy', g,
                contains='At least one of')
        c.fails(1, 'compute', 'target-https-proxies', 'update', 'nope', g, '--url-map=um',
                contains='NOT_FOUND')
        c.fails(1, 'compute', 'target-https-proxies', 'update', 'https-proxy', g,
                '--url-map=missing', contains='NOT_FOUND')
        c.fails(2, 'compute', 'ssl-certificates', 'create', 'cert3', g, '--domains=x.example.com',
                env={'FAKECLOUD_CERT_STATUS': 'GREAT'}, contains='FAKECLOUD_CERT_STATUS')
        c.url_map('redirect', text=REDIRECT)
        c.ok('compute', 'target-http-proxies', 'create', 'http-proxy', g, '--url-map=redirect')
        c.ok('compute', 'target-http-proxies', 'update', 'http-proxy', g, '--url-map=um')
        self.assertTrue(c.record('compute.targetHttpProxy', 'http-proxy')['urlMap']
                        .endswith('/urlMaps/um'))
        c.ok('compute', 'forwarding-rules', 'create', 'http-rule', g,
             '--load-balancing-scheme=EXTERNAL_MANAGED', '--address=ip',
             '--target-http-proxy=http-proxy', '--ports=80')
        r = c.ok('compute', 'forwarding-rules', 'list', g, '--format=value(name,portRange)')
        self.assertEqual(r.stdout, 'http-rule\t80-80\nhttps-rule\t443-443\n')
        c.fails(2, 'compute', 'forwarding-rules', 'list', g, '--regions=us-central1',
                contains='At most one of')


DASHBOARD = {'displayName': 'my-app (multi-region)', 'labels': {'multirun_service': 'my-app'},
             'mosaicLayout': {'columns': 48, 'tiles': []}}


class TestCertificateManager(unittest.TestCase):
    """DNS authorizations, certificates, a map with entries, and a proxy on the map."""

    def setUp(self):
        self.cloud = c = Cloud(self)
        c.load_balancer()
        c.ok('certificate-manager', 'dns-authorizations', 'create', 'auth',
             '--domain=example.com')
        c.ok('certificate-manager', 'certificates', 'create', 'mcert',
             '--domains=example.com,*.example.com', '--dns-authorizations=auth')
        c.ok('certificate-manager', 'maps', 'create', 'map')
        for name, host in [('apex', 'example.com'), ('star', '*.example.com')]:
            c.ok('certificate-manager', 'maps', 'entries', 'create', name, '--map=map',
                 f'--hostname={host}', '--certificates=mcert')

    def test_records_and_views(self):
        c = self.cloud
        base = 'projects/my-project/locations/global/'
        r = c.ok('certificate-manager', 'dns-authorizations', 'describe', 'auth',
                 '--format=value(dnsResourceRecord.name,dnsResourceRecord.type)')
        self.assertEqual(r.stdout, '_acme-challenge.example.com.\tCNAME\n')
        r = c.ok('certificate-manager', 'certificates', 'describe', 'mcert',
                 '--format=value(managed.state)')
        self.assertEqual(r.stdout, 'ACTIVE\n')
        r = c.ok('certificate-manager', 'maps', 'entries', 'describe', 'star', '--map=map',
                 '--format=value(hostname,certificates)')
        self.assertEqual(r.stdout, f'*.example.com\t{base}certificates/mcert\n')
        r = c.ok('certificate-manager', 'maps', 'entries', 'list', '--map=map',
                 '--format=value(name.basename())')
        self.assertEqual(r.stdout, 'apex\nstar\n')
        r = c.ok('certificate-manager', 'certificates', 'list', '--filter=name~"/mcert$"',
                 '--format=value(name)')
        self.assertEqual(r.stdout, f'{base}certificates/mcert\n')

    def test_the_proxy_takes_a_map_or_certificates(self):
        c = self.cloud
        g = '--global'
        c.ok('compute', 'target-https-proxies', 'update', 'https-proxy', g, '--certificate-map=map')
        link = '//certificatemanager.googleapis.com/projects/my-project/locations/global/' \
               'certificateMaps/map'
        self.assertEqual(c.record('compute.targetHttpsProxy', 'https-proxy')['certificateMap'], link)
        c.fails(2, 'compute', 'target-https-proxies', 'update', 'https-proxy', g,
                '--certificate-map=map', '--clear-ssl-certificates', contains='At most one')
        c.ok('compute', 'target-https-proxies', 'update', 'https-proxy', g,
             '--clear-ssl-certificates')
        c.fails(1, 'compute', 'target-https-proxies', 'update', 'https-proxy', g,
                '--clear-certificate-map', contains='certificates or a certificate map')
        c.fails(1, 'certificate-manager', 'maps', 'delete', 'map', contains='FAILED_PRECONDITION')
        c.fails(1, 'compute', 'target-https-proxies', 'create', 'p2', g, '--url-map=um',
                '--certificate-map=nope', contains='NOT_FOUND')
        c.ok('compute', 'target-https-proxies', 'create', 'p2', g, '--url-map=um',
             '--certificate-map=map')

    def test_refusals(self):
        c = self.cloud
        cm = 'certificate-manager'
        c.fails(1, cm, 'dns-authorizations', 'create', 'a2', '--domain=*.example.com',
                contains='wildcard')
        c.fails(1, cm, 'dns-authorizations', 'create', 'auth', '--domain=example.org',
                contains='ALREADY_EXISTS')
        c.fails(1, cm, 'certificates', 'create', 'c2', '--domains=*.example.org',
                contains='DNS authorization')
        c.fails(1, cm, 'certificates', 'create', 'c2', '--domains=www.example.com',
                '--dns-authorizations=auth', contains='covers')
        c.fails(1, cm, 'certificates', 'create', 'c2', '--domains=example.com',
                '--dns-authorizations=nope', contains='NOT_FOUND')
        c.fails(1, cm, 'maps', 'entries', 'create', 'again', '--map=map',
                '--hostname=example.com', '--certificates=mcert', contains='ALREADY_EXISTS')
        c.fails(2, cm, 'maps', 'entries', 'create', 'e3', '--map=map', '--certificates=mcert',
                contains='Exactly one')
        c.fails(1, cm, 'maps', 'entries', 'create', 'e3', '--map=nope', '--hostname=a.example.com',
                '--certificates=mcert', contains='NOT_FOUND')
        c.fails(1, cm, 'certificates', 'delete', 'mcert', contains='FAILED_PRECONDITION')
        c.fails(1, cm, 'dns-authorizations', 'delete', 'auth', contains='FAILED_PRECONDITION')
        c.fails(2, cm, 'maps', 'entries', 'list', contains='--map')

    def test_deletes_in_dependency_order(self):
        c = self.cloud
        cm = 'certificate-manager'
        for name in ('apex', 'star'):
            c.ok(cm, 'maps', 'entries', 'delete', name, '--map=map', '--quiet')
        c.ok(cm, 'maps', 'delete', 'map', '--quiet')
        c.ok(cm, 'certificates', 'delete', 'mcert', '--quiet')
        c.ok(cm, 'dns-authorizations', 'delete', 'auth', '--quiet')
        self.assertEqual([r for r in c.records() if r['type'].startswith('certificatemanager')],
                         [])

    def test_entries_move_to_another_certificate(self):
        c = self.cloud
        cm = 'certificate-manager'
        c.ok(cm, 'certificates', 'create', 'apex-only', '--domains=example.com',
             '--dns-authorizations=auth', env={'FAKECLOUD_CERT_STATUS': 'PROVISIONING'})
        r = c.ok(cm, 'certificates', 'describe', 'apex-only', '--format=value(managed.state)')
        self.assertEqual(r.stdout, 'PROVISIONING\n')
        c.ok(cm, 'maps', 'entries', 'update', 'apex', '--map=map', '--certificates=apex-only')
        self.assertEqual(c.record('certificatemanager.certificateMapEntry', 'map/apex')
                         ['certificates'], ['apex-only'])


class TestDashboards(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def create(self, config=None):
        path = self.cloud.write(json.dumps(config or DASHBOARD), suffix='.json')
        return self.cloud.ok('monitoring', 'dashboards', 'create', f'--config-from-file={path}')

    def test_lifecycle(self):
        c = self.cloud
        self.create()
        self.create(dict(DASHBOARD, displayName='my-app (multi-region) staging', labels={}))
        (record,) = [r for r in c.records('monitoring.dashboard') if not r['labels'] == {}]
        self.assertRegex(record['name'], r'^projects/my-project/dashboards/[0-9a-f-]{36}$')
        self.assertEqual(record['displayName'], 'my-app (multi-region)')
        self.assertEqual(record['config'], DASHBOARD)
        # The lookup deploy.sh makes: exactly the title, not the longer one.
        literal = '"my-app (multi-region)"'
        r = c.ok('monitoring', 'dashboards', 'list',
                 f'--filter=displayName<={literal} AND displayName>={literal}',
                 '--format=value(name)', '--limit=1')
        self.assertEqual(r.stdout, record['name'] + '\n')
        r = c.ok('monitoring', 'dashboards', 'list', '--filter=labels.multirun_service~"^my-app$"',
                 '--format=value(name)')
        self.assertEqual(r.stdout, record['name'] + '\n')
        short = record['name'].split('/')[-1]
        for name in (record['name'], short):
            view = json.loads(c.ok('monitoring', 'dashboards', 'describe', name,
                                   '--format=json').stdout)
            self.assertEqual(view['etag'], record['etag'])
            self.assertEqual(view['name'], record['name'])
        # Update with the current etag, then with the stale one.
        updated = dict(DASHBOARD, displayName='renamed', etag=record['etag'])
        path = c.write(json.dumps(updated), suffix='.json')
        c.ok('monitoring', 'dashboards', 'update', record['name'], f'--config-from-file={path}')
        new = c.record('monitoring.dashboard', record['name'])
        self.assertNotEqual(new['etag'], record['etag'])
        self.assertEqual(new['displayName'], 'renamed')
        self.assertNotIn('etag', new['config'])
        c.fails(1, 'monitoring', 'dashboards', 'update', record['name'],
                f'--config-from-file={path}', contains='ABORTED')
        # Without an etag: unconditional.
        path = c.write(json.dumps(DASHBOARD), suffix='.json')
        c.ok('monitoring', 'dashboards', 'update', short, f'--config-from-file={path}')
        c.ok('monitoring', 'dashboards', 'delete', record['name'])
        c.fails(1, 'monitoring', 'dashboards', 'describe', record['name'], contains='NOT_FOUND')
        c.fails(1, 'monitoring', 'dashboards', 'delete', short, contains='NOT_FOUND')
        c.fails(1, 'monitoring', 'dashboards', 'describe',
                'projects/other-project/dashboards/x', contains='NOT_FOUND')

    def test_ids_are_deterministic(self):
        first = Cloud(self)
        second = Cloud(self)
        for cloud in (first, second):
            self.cloud = cloud
            self.create()
            self.create()
        self.assertEqual(first.raw(), second.raw())
        names = [r['name'] for r in first.records()]
        self.assertEqual(len(set(names)), 2)

    def test_refusals(self):
        c = self.cloud
        for config, message in [([], 'must be an object'),
                                ({'mosaicLayout': {}}, 'displayName is required'),
                                (dict(DASHBOARD, gridLayout={}), 'at most one layout'),
                                (dict(DASHBOARD, title='x'), "unknown field(s) 'title'"),
                                (dict(DASHBOARD, labels={'a': 1}), 'must be a string')]:
            with self.subTest(message=message):
                path = c.write(json.dumps(config), suffix='.json')
                c.fails(1, 'monitoring', 'dashboards', 'create', f'--config-from-file={path}',
                        contains=message)
        for name in ['@ALERT_POLICY:errors-us-central1@', 'projects/p/alertPolicies', None]:
            with self.subTest(alert_chart=name):
                tile = {'xPos': 0, 'yPos': 0, 'width': 16, 'height': 8,
                        'widget': {'title': 't', 'alertChart': {'name': name}}}
                config = dict(DASHBOARD, mosaicLayout={'columns': 48, 'tiles': [tile]})
                path = c.write(json.dumps(config), suffix='.json')
                c.fails(1, 'monitoring', 'dashboards', 'create', f'--config-from-file={path}',
                        contains='is not an alert policy name')
        tile['widget']['alertChart']['name'] = 'projects/p/alertPolicies/123'
        path = c.write(json.dumps(dict(DASHBOARD, mosaicLayout={'columns': 48, 'tiles': [tile]})),
                       suffix='.json')
        c.ok('monitoring', 'dashboards', 'create', f'--config-from-file={path}')
        path = c.write('{"labels": {}, "displayName": "d", "labels": {"a": "b"}}', suffix='.json')
        c.fails(1, 'monitoring', 'dashboards', 'create', f'--config-from-file={path}',
                contains="duplicate key 'labels'")
        path = c.write('displayName: "from yaml"\nmosaicLayout:\n  columns: 48\n')
        c.ok('monitoring', 'dashboards', 'create', f'--config-from-file={path}')
        c.fails(2, 'monitoring', 'dashboards', 'create', contains='--config-from-file')


POLICY = {
    'displayName': 'my-app 5xx ratio in us-central1',
    'userLabels': {'multirun_service': 'my-app', 'multirun_policy': 'errors-us-central1',
                   'multirun_fingerprint': '0123456789abcdef'},
    'conditions': [{'displayName': 'c', 'conditionThreshold': {'filter': 'x'}}],
    'combiner': 'OR',
    'enabled': True,
}

PIPELINE_YAML = """\
apiVersion: deploy.cloud.google.com/v1
kind: DeliveryPipeline
metadata:
  name: "my-app"
serialPipeline:
  stages:
  - targetId: t
    strategy:
      standard:
        analysis:
          googleCloud:
            alertPolicyChecks:
            - id: a
              alertPolicies:
              - "POLICY"
"""


class TestAlertPoliciesAndUptimeChecks(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def create(self, policy=None):
        path = self.cloud.write(json.dumps(policy or POLICY), suffix='.json')
        return self.cloud.ok('alpha', 'monitoring', 'policies', 'create',
                             f'--policy-from-file={path}')

    def test_policy_lifecycle(self):
        c = self.cloud
        self.create()
        (record,) = c.records('monitoring.alertPolicy')
        self.assertRegex(record['name'], r'^projects/my-project/alertPolicies/[0-9]+$')
        # The lookup monitoring/apply.sh makes.
        r = c.ok('alpha', 'monitoring', 'policies', 'list',
                 '--filter=userLabels.multirun_service~"^my-app$"',
                 '--format=value(name,userLabels.multirun_policy,userLabels.multirun_fingerprint)')
        self.assertEqual(r.stdout, f'{record["name"]}\terrors-us-central1\t0123456789abcdef\n')
        r = c.ok('alpha', 'monitoring', 'policies', 'list',
                 '--filter=userLabels.multirun_service~"^other$"', '--format=value(name)')
        self.assertEqual(r.stdout, '')
        changed = dict(POLICY, displayName='renamed')
        path = c.write(json.dumps(changed), suffix='.json')
        c.ok('alpha', 'monitoring', 'policies', 'update', record['name'],
             f'--policy-from-file={path}')
        self.assertEqual(c.record('monitoring.alertPolicy', record['name'])['config'], changed)
        short = record['name'].split('/')[-1]
        c.ok('alpha', 'monitoring', 'policies', 'describe', short)
        c.ok('alpha', 'monitoring', 'policies', 'delete', record['name'])
        c.fails(1, 'alpha', 'monitoring', 'policies', 'delete', record['name'],
                contains='NOT_FOUND')
        # Not on the GA track: gcloud has none for policies.
        c.fails(2, 'monitoring', 'policies', 'list')

    def test_policy_refusals(self):
        c = self.cloud
        for policy, message in [(dict(POLICY, conditions=[]), 'at least one condition'),
                                (dict(POLICY, combiner='XOR'), 'combiner must be'),
                                (dict(POLICY, title='x'), "unknown field(s) 'title'"),
                                (dict(POLICY, userLabels={'Bad': 'x'}), 'not a valid label')]:
            with self.subTest(message=message):
                path = c.write(json.dumps(policy), suffix='.json')
                c.fails(1, 'alpha', 'monitoring', 'policies', 'create',
                        f'--policy-from-file={path}', contains=message)

    def test_uptime_lifecycle(self):
        c = self.cloud
        flags = ['--resource-type=uptime-url',
                 f'--resource-labels=host=app.example.com,project_id={P}', '--protocol=https',
                 '--validate-ssl=true', '--path=/health', '--port=443', '--period=1',
                 '--timeout=10', '--user-labels=multirun_service=my-app,multirun_policy=u']
        c.ok('monitoring', 'uptime', 'create', 'my-app app.example.com', *flags)
        (record,) = c.records('monitoring.uptimeCheck')
        self.assertRegex(record['name'],
                         r'^projects/my-project/uptimeCheckConfigs/my-app-app-example-com-[0-9]+$')
        self.assertEqual(record['config']['period'], '60s')
        self.assertEqual(record['config']['httpCheck'],
                         {'requestMethod': 'GET', 'useSsl': True, 'validateSsl': True,
                          'path': '/health', 'port': 443})
        r = c.ok('monitoring', 'uptime', 'list-configs',
                 '--filter=userLabels.multirun_service~"^my-app$"',
                 '--format=value(name,userLabels.multirun_policy)')
        self.assertEqual(r.stdout, f'{record["name"]}\tu\n')
        c.fails(2, 'monitoring', 'uptime', 'create', 'x', *flags[:6], '--period=2')
        c.fails(1, 'monitoring', 'uptime', 'create', 'x',
                '--resource-labels=host=a.example.com,project_id=other')
        c.ok('monitoring', 'uptime', 'delete', record['name'])
        self.assertEqual(c.records('monitoring.uptimeCheck'), [])
        # Behind IAP: the check accepts IAP's sign-in answers.
        c.ok('monitoring', 'uptime', 'create', 'my-app app.example.com', *flags,
             '--status-codes=302,401')
        (record,) = c.records('monitoring.uptimeCheck')
        self.assertEqual(record['config']['httpCheck']['acceptedResponseStatusCodes'],
                         [{'statusValue': 302}, {'statusValue': 401}])
        c.fails(2, 'monitoring', 'uptime', 'create', 'x', *flags, '--status-codes=2xx')


class TestCloudDeployAndIam(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def test_apply_refuses_placeholders(self):
        c = self.cloud
        bad = c.write(PIPELINE_YAML.replace('POLICY', '@ALERT_POLICY:errors-us-central1@'))
        c.fails(1, 'deploy', 'apply', f'--file={bad}', '--region=us-central1',
                contains='is not projects/my-project/alertPolicies/ID')
        good = c.write(PIPELINE_YAML.replace('POLICY', 'projects/my-project/alertPolicies/123'))
        c.ok('deploy', 'apply', f'--file={good}', '--region=us-central1')
        record = c.record('clouddeploy.config',
                          'projects/my-project/locations/us-central1/config', 'us-central1')
        self.assertEqual(record['kinds'], ['DeliveryPipeline'])
        c.fails(1, 'deploy', 'apply', f'--file={c.write("kind: Service")}',
                '--region=us-central1', contains='kind must be one of')

    def test_service_accounts_and_bindings(self):
        c = self.cloud
        email = f'my-app-deployer@{P}.iam.gserviceaccount.com'
        c.fails(1, 'iam', 'service-accounts', 'describe', email, contains='NOT_FOUND')
        c.ok('iam', 'service-accounts', 'create', 'my-app-deployer', '--display-name=d')
        c.ok('iam', 'service-accounts', 'describe', email)
        c.fails(1, 'iam', 'service-accounts', 'create', 'my-app-deployer',
                contains='ALREADY_EXISTS')
        c.fails(1, 'iam', 'service-accounts', 'create', 'abc', contains='not a service account')
        for account in (email, '123-compute@developer.gserviceaccount.com',
                        f'runtime@{P}.iam.gserviceaccount.com'):
            c.ok('iam', 'service-accounts', 'add-iam-policy-binding', account,
                 f'--member=serviceAccount:{email}', '--role=roles/iam.serviceAccountUser')
        for _ in range(2):
            c.ok('projects', 'add-iam-policy-binding', P, f'--member=serviceAccount:{email}',
                 '--role=roles/run.developer', '--condition=None')
        record = c.record('resourcemanager.project', P)
        self.assertEqual(record['iamBindings'],
                         [{'role': 'roles/run.developer',
                           'members': [f'serviceAccount:{email}']}])
        c.fails(1, 'projects', 'add-iam-policy-binding', 'other-project',
                f'--member=serviceAccount:{email}', '--role=roles/run.developer',
                contains='PERMISSION_DENIED')

    def test_service_account_update(self):
        c = self.cloud
        email = f'my-app-build@{P}.iam.gserviceaccount.com'
        describe = ('iam', 'service-accounts', 'describe', email, '--format=value(description)')
        c.fails(1, 'iam', 'service-accounts', 'update', email, '--description=x',
                contains='PERMISSION_DENIED')
        c.ok('iam', 'service-accounts', 'create', 'my-app-build', '--display-name=b')
        self.assertEqual(c.ok(*describe).stdout.strip(), '')
        c.fails(1, 'iam', 'service-accounts', 'update', email, contains='at least one field')
        c.ok('iam', 'service-accounts', 'update', email, '--description=multirun grants: a b',
             '--format=none')
        self.assertEqual(c.ok(*describe).stdout, 'multirun grants: a b\n')
        c.fails(1, 'iam', 'service-accounts', 'update', email, f'--description={"x" * 257}',
                contains='INVALID_ARGUMENT')
        c.ok('iam', 'service-accounts', 'update', email, f'--description={"x" * 256}')
        c.ok('iam', 'service-accounts', 'update', email, '--display-name=multirun: b')
        self.assertEqual(c.record('iam.serviceAccount', email)['displayName'], 'multirun: b')

    def test_service_account_policy_and_deletion(self):
        c = self.cloud
        runtime = f'my-app-runtime@{P}.iam.gserviceaccount.com'
        build = f'serviceAccount:my-app-build@{P}.iam.gserviceaccount.com'
        c.ok('iam', 'service-accounts', 'create', 'my-app-runtime', '--display-name=r')
        query = ('iam', 'service-accounts', 'get-iam-policy', runtime,
                 '--flatten=bindings[].members',
                 '--filter=bindings.role=roles/iam.serviceAccountUser',
                 '--format=value(bindings.members)')
        self.assertEqual(c.ok(*query).stdout.strip(), '')
        c.ok('iam', 'service-accounts', 'add-iam-policy-binding', runtime, f'--member={build}',
             '--role=roles/iam.serviceAccountUser')
        self.assertEqual(c.ok(*query).stdout, f'{build}\n')
        c.ok('iam', 'service-accounts', 'remove-iam-policy-binding', runtime,
             f'--member={build}', '--role=roles/iam.serviceAccountUser')
        c.fails(1, 'iam', 'service-accounts', 'remove-iam-policy-binding', runtime,
                f'--member={build}', '--role=roles/iam.serviceAccountUser', contains='NOT_FOUND')
        # The created account stays once its policy is empty; deleting it removes it.
        self.assertEqual(len(c.records('iam.serviceAccount')), 1)
        c.ok('iam', 'service-accounts', 'delete', runtime, '--quiet')
        self.assertEqual(c.records('iam.serviceAccount'), [])
        c.fails(1, 'iam', 'service-accounts', 'delete', runtime, contains='NOT_FOUND')
        # The user's account: kept only for its policy, dropped once that is empty.
        user = f'application@{P}.iam.gserviceaccount.com'
        c.ok('iam', 'service-accounts', 'add-iam-policy-binding', user, f'--member={build}',
             '--role=roles/iam.serviceAccountUser')
        c.ok('iam', 'service-accounts', 'remove-iam-policy-binding', user, f'--member={build}',
             '--role=roles/iam.serviceAccountUser')
        self.assertEqual(c.records('iam.serviceAccount'), [])

    def test_project_policy_read_and_removal(self):
        c = self.cloud
        member = f'serviceAccount:my-app-build@{P}.iam.gserviceaccount.com'
        query = ('projects', 'get-iam-policy', P, '--flatten=bindings[].members',
                 '--format=value(bindings.members,bindings.role)')
        # An empty policy flattens to one empty row.
        self.assertEqual(c.ok(*query).stdout.strip(), '')
        for role in ('roles/run.admin', 'roles/logging.logWriter'):
            c.ok('projects', 'add-iam-policy-binding', P, f'--member={member}', f'--role={role}',
                 '--condition=None')
        self.assertEqual(c.ok(*query).stdout,
                         f'{member}\troles/logging.logWriter\n{member}\troles/run.admin\n')
        for role in ('roles/run.admin', 'roles/logging.logWriter'):
            c.ok('projects', 'remove-iam-policy-binding', P, f'--member={member}',
                 f'--role={role}', '--condition=None')
        self.assertEqual(c.records('resourcemanager.project'), [])
        c.fails(1, 'projects', 'remove-iam-policy-binding', P, f'--member={member}',
                '--role=roles/run.admin', contains='NOT_FOUND')
        c.fails(1, 'projects', 'get-iam-policy', 'other-project', contains='PERMISSION_DENIED')


# ---- State, locking, log, failure injection, wrapper -----------------------------------------


class TestStateFile(unittest.TestCase):
    def test_same_resources_give_identical_bytes_whatever_the_order(self):
        first, second = Cloud(self), Cloud(self)
        first.load_balancer()
        # The same resources, created in another order where dependencies allow.
        c = second
        c.ok('compute', 'ssl-certificates', 'create', 'cert', '--global',
             '--domains=app.example.com,www.example.com')
        c.ok('compute', 'addresses', 'create', 'ip', '--global')
        c.neg()
        c.service()
        c.backend(extra=OUTLIER)
        c.url_map()
        c.ok('compute', 'target-https-proxies', 'create', 'https-proxy', '--global',
             '--url-map=um', '--ssl-certificates=cert')
        c.ok('compute', 'forwarding-rules', 'create', 'https-rule', '--global',
             '--load-balancing-scheme=EXTERNAL_MANAGED', '--address=ip',
             '--target-https-proxy=https-proxy', '--ports=443')
        self.assertEqual(first.raw(), second.raw())
        types = [r['type'] for r in first.records()]
        self.assertEqual(types, sorted(types))

    def test_sorting_by_type_region_name(self):
        c = Cloud(self)
        for name, region in [('b', 'us-central1'), ('a', 'us-central1'), ('c', 'asia-east1')]:
            c.neg(name, region)
        self.assertEqual([(r['region'], r['name']) for r in c.records()],
                         [('asia-east1', 'c'), ('us-central1', 'a'), ('us-central1', 'b')])

    def test_reads_change_nothing(self):
        c = Cloud(self)
        c.load_balancer()
        before = c.raw()
        c.ok('compute', 'backend-services', 'list', '--global', '--format=json')
        c.ok('run', 'services', 'get-iam-policy', 'my-app', '--region=us-central1')
        c.run('compute', 'url-maps', 'describe', 'nope', '--global')
        self.assertEqual(c.raw(), before)

    def test_parallel_calls_lose_nothing(self):
        c = Cloud(self)
        c.service()
        regions = [f'{area}-{side}{n}' for area in ('us', 'europe', 'asia')
                   for side in ('east', 'west') for n in (1, 2, 3)]
        members = [f'user:u{i}@example.com' for i in range(12)]

        def replace(region):
            path = c.write(SERVICE_YAML.format(name='my-app', region=region, public='true',
                                               min='1', image='img'))
            return c.run('run', 'services', 'replace', path, f'--region={region}',
                         process=True)

        def bind(member):
            return c.run('run', 'services', 'add-iam-policy-binding', 'my-app',
                         '--region=us-central1', f'--member={member}', '--role=roles/run.invoker',
                         process=True)

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            jobs = [pool.submit(replace, r) for r in regions] + [pool.submit(bind, m)
                                                                  for m in members]
            results = [j.result() for j in jobs]
        for r in results:
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(r['region'] for r in c.records('run.service')),
                         sorted(regions + ['us-central1']))
        self.assertEqual(c.record('run.service', 'my-app', 'us-central1')['iamBindings'],
                         [{'role': 'roles/run.invoker', 'members': sorted(members)}])

    def test_call_log(self):
        c = Cloud(self)
        log = os.path.join(c.dir, 'calls.jsonl')
        c.ok('compute', 'addresses', 'create', 'ip', '--global', env={'FAKECLOUD_LOG': log})
        c.run('compute', 'nope', env={'FAKECLOUD_LOG': log})
        c.ok('compute', 'addresses', 'list', '--filter=name="it\'s ünï"',
             env={'FAKECLOUD_LOG': log})
        with open(log, encoding='utf-8') as f:
            calls = [json.loads(line) for line in f]
        self.assertEqual(calls, [
            ['compute', 'addresses', 'create', 'ip', '--global', f'--project={P}'],
            ['compute', 'nope', f'--project={P}'],
            ['compute', 'addresses', 'list', '--filter=name="it\'s ünï"', f'--project={P}']])

    def test_fail_injection(self):
        c = Cloud(self)
        changes = c.state_path + '.changes'
        with open(changes, 'w') as f:
            f.write('0\n')
        c.ok('compute', 'addresses', 'create', 'ip1', '--global', env={'FAKECLOUD_FAIL_AT': '3'})
        c.ok('compute', 'addresses', 'list', env={'FAKECLOUD_FAIL_AT': '2'})  # not a change
        c.ok('compute', 'addresses', 'create', 'ip2', '--global', env={'FAKECLOUD_FAIL_AT': '3'})
        c.fails(1, 'compute', 'addresses', 'create', 'ip3', '--global',
                env={'FAKECLOUD_FAIL_AT': '3'}, contains='UNAVAILABLE')
        r = c.run('compute', 'addresses', 'create', 'ip4', '--global',
                  env={'FAKECLOUD_FAIL_AFTER': '4'})
        self.assertEqual(r.returncode, 1)
        self.assertIn('DEADLINE_EXCEEDED', r.stderr)
        self.assertEqual([r['name'] for r in c.records()], ['ip1', 'ip2', 'ip4'])
        c.fails(1, 'compute', 'addresses', 'list', env={'FAKECLOUD_FAIL': r'addresses list'},
                contains='FAKECLOUD_FAIL')
        c.fails(2, 'compute', 'addresses', 'list', env={'FAKECLOUD_FAIL_AT': 'x'},
                contains='FAKECLOUD_FAIL_AT')


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


class TestWrapper(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='fakecloud-wrapper-')
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.state = os.path.join(self.dir, 'state.json')

    def wrap(self, *command, env=None):
        full = {k: v for k, v in os.environ.items() if not k.startswith('FAKECLOUD_')}
        full['PYTHONDONTWRITEBYTECODE'] = '1'
        full.update(env or {})
        return subprocess.run([FAKECLOUD, *command], capture_output=True, text=True, env=full,
                              cwd=self.dir)

    def test_contract(self):
        r = self.wrap('state.json', '--', 'bash', '-c',
                      'printf "%s\\n" "$FAKECLOUD_STATE" "$(command -v gcloud)"; '
                      'gcloud compute addresses create ip --global --project=my-project; '
                      'exit 7')
        self.assertEqual(r.returncode, 7, r.stderr)
        state, gcloud = r.stdout.splitlines()
        self.assertEqual(state, self.state)
        self.assertEqual(os.path.realpath(gcloud), os.path.realpath(GCLOUD))
        with open(self.state) as f:
            self.assertEqual([x['name'] for x in json.load(f)['resources']], ['ip'])
        with open(self.state + '.changes') as f:
            self.assertEqual(f.read().strip(), '1')

    def test_creates_the_state_and_resets_the_counter(self):
        r = self.wrap(self.state, '--', 'true')
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.state) as f:
            self.assertEqual(json.load(f), {'resources': []})
        r = self.wrap(self.state, '--', 'bash', '-c', 'for n in a b c; do gcloud compute '
                      'addresses create $n --global --project=my-project; done',
                      env={'FAKECLOUD_FAIL_AT': '2'})
        self.assertIn('UNAVAILABLE: change 2 fails', r.stderr)
        with open(self.state) as f:
            self.assertEqual([x['name'] for x in json.load(f)['resources']], ['a', 'c'])
        r = self.wrap(self.state, '--', 'gcloud', 'compute', 'addresses', 'create', 'd',
                      '--global', '--project=my-project', env={'FAKECLOUD_FAIL_AT': '1'})
        self.assertEqual(r.returncode, 1, 'the counter starts again at each run')

    def test_served_calls_answer_as_direct_calls_do(self):
        """Under the wrapper, bin/gcloud asks the wrapper's server (server.py); without it, it
        runs the fake itself. Same calls, same state: the same bytes out, the same status."""
        hostile = 'line\nbreak \'q\' "d" $(x) \\ é \udcff end'
        calls = [
            ['compute', 'addresses', 'create', 'ip', '--global', '--project=my-project'],
            ['compute', 'addresses', 'describe', 'ip', '--global', '--project=my-project',
             '--format=json'],
            ['compute', 'addresses', 'describe', 'ip', '--global', '--project=my-project'],
            ['compute', 'addresses', 'create', 'ip', '--global', '--project=my-project'],
            ['compute', 'addresses', 'describe', hostile, '--global', '--project=my-project'],
            ['compute', 'addresses', 'list', '--bogus-flag', '--project=my-project'],
            ['run', 'services', 'list', '--project=my-project', '--format=value(name)'],
        ]
        script = os.path.join(self.dir, 'calls.sh')
        with open(script, 'w', encoding='utf-8', errors='surrogateescape') as f:
            for n, call in enumerate(calls):
                words = ' '.join("'" + a.replace("'", "'\\''") + "'" for a in call)
                f.write(f'gcloud {words} >out.{n} 2>err.{n}; echo $? >status.{n}\n')

        def outcomes(state, wrapped):
            if wrapped:
                r = self.wrap(state, '--', 'bash', script)
            else:
                env = {k: v for k, v in os.environ.items() if not k.startswith('FAKECLOUD_')}
                env.update(FAKECLOUD_STATE=os.path.join(self.dir, state),
                           PATH=os.path.dirname(GCLOUD) + os.pathsep + env['PATH'])
                r = subprocess.run(['bash', script], env=env, cwd=self.dir)
            self.assertEqual(r.returncode, 0)
            seen = []
            for n in range(len(calls)):
                files = [os.path.join(self.dir, f'{kind}.{n}') for kind in ('out', 'err', 'status')]
                seen.append(tuple(read_bytes(f) for f in files))
            return seen

        direct = outcomes('direct.json', wrapped=False)
        served = outcomes('served.json', wrapped=True)
        self.assertEqual([s[2] for s in served], [b'0\n', b'0\n', b'0\n', b'1\n', b'1\n', b'2\n',
                                                   b'0\n'])
        self.assertIn(hostile.encode('utf-8', 'surrogateescape'), served[4][1])
        self.assertEqual(served, direct)

    def test_served_output_shares_the_scripts_descriptors(self):
        # A background job writing to a file with the script's own writes in between (deploy.sh
        # logs each region this way): nothing is overwritten, and the order is kept.
        r = self.wrap('state.json', '--', 'bash', '-c',
                      '{ echo first; gcloud compute addresses create ip --global '
                      '--project=my-project; echo between; gcloud compute addresses list '
                      '--project=my-project --format="value(name)"; echo last; } >log 2>&1 & '
                      'wait $! && cat log')
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], 'first')
        self.assertEqual(lines[-3:], ['between', 'ip', 'last'])
        self.assertIn('Created', r.stdout)

    def test_a_signal_reaches_the_command_and_its_status_is_the_shells(self):
        r = self.wrap('state.json', '--', 'bash', '-c', 'kill -TERM $$')
        self.assertEqual(r.returncode, 128 + 15)
        wrapper = subprocess.Popen([FAKECLOUD, 'state.json', '--', 'bash', '-c',
                                    'trap "echo got TERM; kill \\$!; exit 3" TERM; sleep 30 & wait'],
                                   cwd=self.dir, stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        wrapper.terminate()
        out, _ = wrapper.communicate(timeout=20)
        self.assertEqual((wrapper.returncode, out), (3, 'got TERM\n'))

    def test_usage(self):
        for args in [(), ('state.json',), ('state.json', 'true'), ('state.json', '--'),
                     ('--', 'true')]:
            with self.subTest(args=args):
                r = self.wrap(*args)
                self.assertEqual(r.returncode, 2)
                self.assertIn('usage: fakecloud STATE.json -- COMMAND', r.stderr)
        r = self.wrap('state.json', '--', 'no-such-command-xyz')
        self.assertEqual(r.returncode, 127)


class TestSecretsAndProjects(unittest.TestCase):
    def setUp(self):
        self.cloud = Cloud(self)

    def test_secret_iam(self):
        c = self.cloud
        query = ('secrets', 'get-iam-policy', 'db-password', '--flatten=bindings[].members',
                 '--filter=bindings.role=roles/secretmanager.secretAccessor',
                 '--format=value(bindings.members)')
        # Every well-formed secret exists, with an empty policy; reading it stores nothing.
        self.assertEqual(c.ok(*query).stdout, '')
        self.assertEqual(c.records('secretmanager.secret'), [])
        for secret in ('db-password', 'projects/123456789012/secrets/api-key'):
            c.ok('secrets', 'add-iam-policy-binding', secret,
                 '--member=serviceAccount:run@my-project.iam.gserviceaccount.com',
                 '--role=roles/secretmanager.secretAccessor', '--condition=None')
        self.assertEqual(c.ok(*query).stdout, 'serviceAccount:run@my-project.iam.gserviceaccount.com\n')
        self.assertEqual(c.record('secretmanager.secret', 'projects/123456789012/secrets/api-key')
                         ['iamBindings'][0]['role'], 'roles/secretmanager.secretAccessor')
        c.fails(1, 'secrets', 'get-iam-policy', 'projects/my-project/secrets/x',
                contains='is not a secret name')
        c.fails(1, 'secrets', 'add-iam-policy-binding', 'db-password', '--member=someone',
                '--role=roles/secretmanager.secretAccessor', contains='is not a principal')
        c.fails(2, 'secrets', 'add-iam-policy-binding', 'db-password',
                '--role=roles/secretmanager.secretAccessor')

    def test_secret_binding_removal(self):
        c = self.cloud
        member = '--member=serviceAccount:run@my-project.iam.gserviceaccount.com'
        role = '--role=roles/secretmanager.secretAccessor'
        c.ok('secrets', 'add-iam-policy-binding', 'db-password', member, role, '--condition=None')
        c.ok('secrets', 'remove-iam-policy-binding', 'db-password', member, role,
             '--condition=None')
        # The user's secret is no longer kept once its policy is empty again.
        self.assertEqual(c.records('secretmanager.secret'), [])
        c.fails(1, 'secrets', 'remove-iam-policy-binding', 'db-password', member, role,
                contains='NOT_FOUND')

    def test_repository_iam(self):
        c = self.cloud
        member = f'--member=serviceAccount:my-app-build@{P}.iam.gserviceaccount.com'
        query = ('artifacts', 'repositories', 'get-iam-policy', 'apps', '--location=us',
                 '--flatten=bindings[].members',
                 '--filter=bindings.role=roles/artifactregistry.writer',
                 '--format=value(bindings.members)')
        self.assertEqual(c.ok(*query).stdout, '')
        c.ok('artifacts', 'repositories', 'add-iam-policy-binding', 'apps', '--location=us',
             member, '--role=roles/artifactregistry.writer')
        self.assertEqual(c.ok(*query).stdout,
                         f'serviceAccount:my-app-build@{P}.iam.gserviceaccount.com\n')
        c.ok('artifacts', 'repositories', 'remove-iam-policy-binding', 'apps', '--location=us',
             member, '--role=roles/artifactregistry.writer')
        self.assertEqual(c.records('artifactregistry.repository'), [])
        c.fails(2, 'artifacts', 'repositories', 'add-iam-policy-binding', 'apps', member,
                '--role=roles/artifactregistry.writer')
        c.fails(1, 'artifacts', 'repositories', 'get-iam-policy', 'Apps!', '--location=us',
                contains='not a repository ID')

    def test_iap_iam(self):
        c = self.cloud
        query = ('iap', 'web', 'get-iam-policy', '--resource-type=backend-services',
                 '--service=app-backend', '--flatten=bindings[].members',
                 '--filter=bindings.role=roles/iap.httpsResourceAccessor',
                 '--format=value(bindings.members)')
        # IAP's policy hangs off a resource that must exist.
        c.fails(1, *query, contains='backendServices/app-backend')
        c.fails(1, 'iap', 'web', 'get-iam-policy', '--resource-type=cloud-run', '--service=app',
                contains='--region')
        source = c.write('name: app-backend\nloadBalancingScheme: EXTERNAL_MANAGED\niap:\n  enabled: true\n')
        c.ok('compute', 'backend-services', 'import', 'app-backend', '--global', f'--source={source}')
        self.assertEqual(c.ok(*query).stdout, '')
        self.assertEqual(c.records('iap.policy'), [])
        c.ok('iap', 'web', 'add-iam-policy-binding', '--resource-type=backend-services',
             '--service=app-backend', '--member=group:admins@example.com',
             '--role=roles/iap.httpsResourceAccessor', '--condition=None')
        self.assertEqual(c.ok(*query).stdout, 'group:admins@example.com\n')
        c.fails(1, 'iap', 'web', 'add-iam-policy-binding', '--resource-type=backend-services',
                '--service=app-backend', '--member=admins', '--role=roles/iap.httpsResourceAccessor',
                contains='is not a principal')

    def test_project_number(self):
        c = self.cloud
        number = c.ok('projects', 'describe', P, '--format=value(projectNumber)').stdout.strip()
        self.assertRegex(number, r'^[0-9]{1,12}$')
        self.assertEqual(c.ok('projects', 'describe', P, '--format=value(projectNumber)').stdout.strip(),
                         number)
        c.fails(1, 'projects', 'describe', 'other-project', contains='PERMISSION_DENIED')


class TestRevisionsAndTraffic(unittest.TestCase):
    """`run deploy --no-traffic --tag`, `run services update-traffic` and the traffic in describe,
    as rollout.sh uses them; the arithmetic is gcloud's."""

    def setUp(self):
        self.cloud = Cloud(self)
        self.cloud.service(region='europe-west1')

    def describe(self):
        return json.loads(self.cloud.ok('run', 'services', 'describe', 'my-app',
                                        '--region=europe-west1', '--format=json').stdout)

    def traffic(self):
        return [(t['revisionName'], t.get('percent', 0), t.get('tag'))
                for t in self.describe()['status']['traffic']]

    def deploy(self, image='us-docker.pkg.dev/p/r/app:v2', *flags):
        return self.cloud.ok('run', 'deploy', 'my-app', f'--image={image}',
                             '--region=europe-west1', '--no-traffic', '--tag=candidate', *flags)

    def test_a_replaced_service_has_one_revision_and_stores_no_traffic(self):
        view = self.describe()
        first = view['status']['latestCreatedRevisionName']
        self.assertRegex(first, r'^my-app-00001-[0-9a-f]{3}$')
        self.assertEqual(self.traffic(), [(first, 100, None)])
        self.assertEqual(view['status']['traffic'][0]['latestRevision'], True)
        record = self.cloud.record('run.service', 'my-app', 'europe-west1')
        self.assertNotIn('revisions', record)
        self.assertNotIn('traffic', record)

    def test_no_traffic_deploy_pins_the_old_revision_and_tags_the_new(self):
        first = self.describe()['status']['latestCreatedRevisionName']
        self.deploy()
        view = self.describe()
        new = view['status']['latestCreatedRevisionName']
        self.assertRegex(new, r'^my-app-00002-[0-9a-f]{3}$')
        self.assertEqual(self.traffic(), [(first, 100, None), (new, 0, 'candidate')])
        self.assertTrue(view['status']['traffic'][1]['url'].startswith('https://candidate---my-app-'))
        self.assertEqual(view['spec']['template']['spec']['containers'][0]['image'],
                         'us-docker.pkg.dev/p/r/app:v2')
        record = self.cloud.record('run.service', 'my-app', 'europe-west1')
        self.assertEqual([r['image'] for r in record['revisions']],
                         ['us-docker.pkg.dev/p/r/app:v1', 'us-docker.pkg.dev/p/r/app:v2'])
        # The tag moves to the next new revision.
        self.deploy('us-docker.pkg.dev/p/r/app:v3')
        third = self.describe()['status']['latestCreatedRevisionName']
        self.assertEqual(self.traffic(), [(first, 100, None), (third, 0, 'candidate')])

    def test_update_traffic_steps_and_back(self):
        first = self.describe()['status']['latestCreatedRevisionName']
        self.deploy()
        new = self.describe()['status']['latestCreatedRevisionName']
        c = self.cloud
        step = ('run', 'services', 'update-traffic', 'my-app', '--region=europe-west1')
        c.ok(*step, f'--to-revisions={new}=10')
        self.assertEqual(self.traffic(), [(first, 90, None), (new, 10, None), (new, 0, 'candidate')])
        c.ok(*step, '--to-tags=candidate=50')
        self.assertEqual(self.traffic(), [(first, 50, None), (new, 50, None), (new, 0, 'candidate')])
        c.ok(*step, f'--to-revisions={new}=50')  # idempotent
        self.assertEqual(self.traffic(), [(first, 50, None), (new, 50, None), (new, 0, 'candidate')])
        c.ok(*step, f'--to-revisions={first}=100', '--remove-tags=candidate')
        self.assertEqual(self.traffic(), [(first, 100, None)])
        c.ok(*step, '--to-latest')
        self.assertEqual(self.traffic(), [(new, 100, None)])
        self.assertEqual(self.describe()['status']['traffic'][0]['latestRevision'], True)
        c.ok(*step, '--update-tags=old=' + first)
        self.assertEqual(self.traffic(), [(new, 100, None), (first, 0, 'old')])

    def test_rounding_is_gclouds(self):
        self.deploy()
        second = self.describe()['status']['latestCreatedRevisionName']
        self.deploy('us-docker.pkg.dev/p/r/app:v3')
        third = self.describe()['status']['latestCreatedRevisionName']
        first = self.traffic()[0][0]
        step = ('run', 'services', 'update-traffic', 'my-app', '--region=europe-west1')
        self.cloud.ok(*step, f'--to-revisions={first}=50,{second}=50')
        self.cloud.ok(*step, f'--to-revisions={third}=33')
        percents = {rev: pct for rev, pct, tag in self.traffic() if pct}
        # 67 shared by two equal targets: 33.5 each, the extra point to the first by name.
        self.assertEqual(percents, {first: 34, second: 33, third: 33})

    def test_a_replace_resets_revisions_and_traffic(self):
        self.deploy()
        self.cloud.service(region='europe-west1')
        record = self.cloud.record('run.service', 'my-app', 'europe-west1')
        self.assertNotIn('revisions', record)
        self.assertNotIn('traffic', record)
        self.assertEqual(len(self.traffic()), 1)

    def test_refusals(self):
        c = self.cloud
        c.fails(1, 'run', 'deploy', 'other', '--image=x', '--region=europe-west1',
                '--no-traffic', '--tag=candidate',
                contains='--no-traffic not supported when creating a new service.')
        c.fails(2, 'run', 'deploy', 'other', '--image=x', '--region=europe-west1')
        c.fails(2, 'run', 'deploy', 'my-app', '--region=europe-west1', '--no-traffic')
        c.fails(1, 'run', 'deploy', 'my-app', '--image=x', '--region=europe-west1',
                '--tag=Bad_Tag')
        step = ('run', 'services', 'update-traffic', 'my-app', '--region=europe-west1')
        c.fails(2, *step, '--to-latest', '--to-revisions=LATEST=100', contains='At most one of')
        c.fails(1, *step, contains='No traffic configuration change requested')
        c.fails(1, *step, '--to-revisions=my-app-00009-abc=10', contains='NOT_FOUND')
        c.fails(1, *step, '--to-tags=candidate=10', contains='There is no revision tagged')
        c.fails(2, *step, '--to-revisions=LATEST=101')
        c.fails(2, *step, '--to-revisions=LATEST')
        c.fails(1, 'run', 'services', 'update-traffic', 'other', '--region=europe-west1',
                '--to-latest', contains='NOT_FOUND')

    def test_access_token(self):
        token = self.cloud.ok('auth', 'print-access-token').stdout.strip()
        self.assertTrue(token.startswith('ya29.fake-'), token)


CURL = os.path.join(HERE, 'bin', 'curl')
V2 = 'us-docker.pkg.dev/p/r/app:v2'


class TestFakeCurl(unittest.TestCase):
    """The Cloud Monitoring API's timeSeries.list, answered with injected figures."""

    def setUp(self):
        self.cloud = Cloud(self)
        c = self.cloud
        c.service(region='europe-west1')
        c.ok('run', 'deploy', 'my-app', f'--image={V2}', '--region=europe-west1', '--no-traffic',
             '--tag=candidate')
        self.revision = json.loads(c.ok('run', 'services', 'describe', 'my-app',
                                        '--region=europe-west1', '--format=json').stdout
                                   )['status']['latestCreatedRevisionName']
        self.token = c.ok('auth', 'print-access-token').stdout.strip()
        self.metrics = c.write(json.dumps({V2: {'europe-west1': [
            {'requests': 10, 'errors': 0, 'p99Ms': 5},
            {'requests': 200, 'errors': 3, 'p99Ms': 812.5}]}}), suffix='.json')

    def curl(self, metric='request_count', aligner='ALIGN_DELTA', reducer='REDUCE_SUM',
             revision=None, token=None, period='300s', extra=(), url=None):
        flt = (f'metric.type="run.googleapis.com/{metric}" AND '
               'resource.type="cloud_run_revision" AND '
               'resource.labels.service_name="my-app" AND '
               'resource.labels.location="europe-west1" AND '
               f'resource.labels.revision_name="{revision or self.revision}"')
        args = [CURL, '--silent', '--show-error', '--fail', '--get', '--header', '@-',
                '--data-urlencode', f'filter={flt}',
                '--data-urlencode', 'interval.startTime=2026-01-01T00:00:00Z',
                '--data-urlencode', 'interval.endTime=2026-01-01T00:05:00Z',
                '--data-urlencode', f'aggregation.alignmentPeriod={period}',
                '--data-urlencode', f'aggregation.perSeriesAligner={aligner}',
                '--data-urlencode', f'aggregation.crossSeriesReducer={reducer}', *extra,
                url or f'https://monitoring.googleapis.com/v3/projects/{P}/timeSeries']
        return subprocess.run(args, capture_output=True, text=True,
                              input=f'Authorization: Bearer {token or self.token}\n',
                              env=self.cloud.env({'FAKECLOUD_METRICS': self.metrics}))

    def test_figures_per_read_then_the_last_repeats(self):
        grouped = ('--data-urlencode', 'aggregation.groupByFields=metric.labels.response_code_class')
        first = json.loads(self.curl(extra=grouped).stdout)
        self.assertEqual([(s['metric']['labels'], s['points'][0]['value'])
                          for s in first['timeSeries']],
                         [({'response_code_class': '2xx'}, {'int64Value': '10'})])
        for _ in range(2):
            later = json.loads(self.curl(extra=grouped).stdout)
            self.assertEqual([s['points'][0]['value']['int64Value'] for s in later['timeSeries']],
                             ['197', '3'])
        p99 = json.loads(self.curl('request_latencies', 'ALIGN_PERCENTILE_99', 'REDUCE_MAX').stdout)
        self.assertEqual(p99['timeSeries'][0]['points'][0]['value'], {'doubleValue': 5.0})

    def test_no_figures_no_data(self):
        first = json.loads(self.cloud.ok('run', 'services', 'describe', 'my-app',
                                         '--region=europe-west1', '--format=json').stdout
                           )['status']['traffic'][0]['revisionName']
        r = self.curl(revision=first)  # the old image has no figures
        self.assertEqual((r.returncode, json.loads(r.stdout)), (0, {}))
        r = self.curl(revision='my-app-00042-abc')
        self.assertEqual((r.returncode, json.loads(r.stdout)), (0, {}))

    def test_refusals(self):
        for kwargs, code in [({'token': 'ya29.wrong'}, 22),
                             ({'aligner': 'ALIGN_PERCENTILE_99'}, 22),
                             ({'period': '30s'}, 22),
                             ({'reducer': 'REDUCE_EVERYTHING'}, 22),
                             ({'metric': 'request_cost'}, 22),
                             ({'url': 'https://example.com/'}, 6),
                             ({'extra': ('--data', 'x')}, 2)]:
            with self.subTest(**{k: str(v) for k, v in kwargs.items()}):
                r = self.curl(**kwargs)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertTrue(r.stderr.startswith('curl: ('), r.stderr)


class TestReadme(unittest.TestCase):
    def test_every_command_and_flag_is_documented(self):
        with open(os.path.join(HERE, 'README.md'), encoding='utf-8') as f:
            readme = f.read()

        def walk(tree, path):
            for word, node in tree.items():
                if isinstance(node, dict):
                    yield from walk(node, path + [word])
                else:
                    yield path + [word], node

        for path, command in walk(fakegcloud.TREE, []):
            with self.subTest(command=' '.join(path)):
                self.assertIn(path[-1], readme)
                self.assertIn(path[-2], readme)
                for flag in command.flags:
                    self.assertIn(f'--{flag}', readme)
        for flag in fakegcloud.GLOBAL_FLAGS:
            self.assertIn(f'--{flag}', readme)
        for variable in ('FAKECLOUD_STATE', 'FAKECLOUD_LOG', 'FAKECLOUD_CERT_STATUS',
                         'FAKECLOUD_FAIL_AT', 'FAKECLOUD_FAIL_AFTER', 'FAKECLOUD_FAIL',
                         'FAKECLOUD_DOMAIN_RESTRICTED_SHARING', 'FAKECLOUD_PYTHON'):
            self.assertIn(variable, readme)
        for type_ in fakegcloud.ALL_TYPES:
            self.assertIn(f'`{type_}`', readme)


# ---- End to end: the bundled example's scripts -----------------------------------------------


@unittest.skipUnless(os.access(MULTIRUN, os.X_OK) or os.environ.get('MULTIRUN_REQUIRE_TOOLS') == '1',
                     f'{MULTIRUN} is not built')
class TestEndToEnd(unittest.TestCase):
    """Renders the bundled examples with the CLI, runs deploy.sh, deploy.sh again, then
    teardown.sh under the fake: everything is created, a re-run changes nothing, teardown
    leaves nothing."""

    def run_example(self, example):
        out = tempfile.mkdtemp(prefix='fakecloud-e2e-')
        self.addCleanup(shutil.rmtree, out, True)
        render = subprocess.run([MULTIRUN, 'render', os.path.join(ROOT, 'examples', example),
                                 '--out', os.path.join(out, 'out')], capture_output=True,
                                text=True)
        self.assertEqual(render.returncode, 0, render.stderr)
        state = os.path.join(out, 'state.json')
        log = os.path.join(out, 'calls.jsonl')
        env = {k: v for k, v in os.environ.items() if not k.startswith('FAKECLOUD_')}
        env.update(FAKECLOUD_LOG=log, PYTHONDONTWRITEBYTECODE='1')

        def script(name):
            r = subprocess.run([FAKECLOUD, state, '--', 'bash', os.path.join(out, 'out', name)],
                               capture_output=True, text=True, env=env)
            return r, json.load(open(state))['resources']

        r, resources = script('deploy.sh')
        self.assertEqual(r.returncode, 0, f'{example}: deploy.sh failed:\n{r.stdout[-3000:]}\n'
                         f'{r.stderr[-3000:]}')
        types = {x['type'] for x in resources}
        for expected in ('run.service', 'compute.networkEndpointGroup', 'compute.backendService',
                         'compute.urlMap', 'compute.globalAddress', 'compute.sslCertificate',
                         'compute.targetHttpsProxy', 'compute.forwardingRule',
                         'monitoring.dashboard'):
            self.assertIn(expected, types, f'{example}: deploy.sh created no {expected}')
        first = open(state).read()
        r, _ = script('deploy.sh')
        with self.subTest(step='deploy.sh again'):
            self.assertEqual(r.returncode, 0, f'{example}: deploy.sh (again) failed:\n'
                             f'{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
            self.assertEqual(open(state).read(), first, f'{example}: a second deploy.sh changed '
                             'the project')
        r, resources = script('teardown.sh')
        with self.subTest(step='teardown.sh'):
            left = [(x['type'], x['region'], x['name']) for x in resources]
            self.assertEqual(left, [], f'{example}: teardown.sh (exit {r.returncode}) left '
                             f'resources behind:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
            self.assertEqual(r.returncode, 0, f'{example}: teardown.sh failed:\n'
                             f'{r.stderr[-3000:]}')
        # Every call was logged as a JSON argv, ready to replay through the real gcloud.
        with open(log, encoding='utf-8') as f:
            calls = [json.loads(line) for line in f]
        self.assertTrue(calls and all(isinstance(c, list) and c for c in calls))
        self.assertTrue(all(any(a.startswith('--project=') for a in c) for c in calls),
                        'a call without --project')

    def test_nearest(self):
        self.run_example('nearest.yaml')

    def test_weighted(self):
        self.run_example('weighted.yaml')


if __name__ == '__main__':
    unittest.main()
