"""A fake `curl` that answers the Cloud Monitoring API's timeSeries.list (`GET
https://monitoring.googleapis.com/v3/projects/P/timeSeries`) for Cloud Run revisions, with figures
a test injects, as rollout.sh reads them. See README.md ("The fake curl").

Figures come from the JSON file FAKECLOUD_METRICS, by the image a revision runs, then by region
(or "*"): {"IMAGE": {"REGION": FIGURES | [FIGURES, ...]}}, FIGURES being {"requests": N,
"errors": N (5xx), "p99Ms": X}. A list gives one entry per read of the same revision and
metric (the last one repeats): reads are counted in STATE.metric-reads. A revision with no
figures has no data: the API answers {}.
"""
import fcntl
import json
import os
import re
import sys
import urllib.parse

import fakegcloud

API = 'https://monitoring.googleapis.com/v3/projects/'
METRICS = {
    # metric type: (metric kind, value type, the aligners the API accepts for it)
    'run.googleapis.com/request_count': ('DELTA', 'INT64',
                                         ('ALIGN_NONE', 'ALIGN_DELTA', 'ALIGN_RATE', 'ALIGN_SUM',
                                          'ALIGN_MIN', 'ALIGN_MAX', 'ALIGN_MEAN', 'ALIGN_COUNT')),
    'run.googleapis.com/request_latencies': ('DELTA', 'DISTRIBUTION',
                                             ('ALIGN_NONE', 'ALIGN_DELTA', 'ALIGN_RATE',
                                              'ALIGN_SUM', 'ALIGN_PERCENTILE_99',
                                              'ALIGN_PERCENTILE_95', 'ALIGN_PERCENTILE_50',
                                              'ALIGN_PERCENTILE_05', 'ALIGN_COUNT')),
}
REDUCERS = ('REDUCE_NONE', 'REDUCE_SUM', 'REDUCE_MEAN', 'REDUCE_MIN', 'REDUCE_MAX',
            'REDUCE_COUNT', 'REDUCE_PERCENTILE_99', 'REDUCE_PERCENTILE_95',
            'REDUCE_PERCENTILE_50', 'REDUCE_PERCENTILE_05')
TIME_RE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$')
TERM_RE = re.compile(r'\s*([a-z_.]+)\s*=\s*"([^"\\]*)"\s*$')


class CurlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class HttpError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def parse(argv, stdin):
    """curl's command line, the subset rollout.sh uses."""
    opts = {'get': False, 'fail': False, 'headers': [], 'data': [], 'url': None}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ('-s', '--silent', '-S', '--show-error'):
            pass
        elif arg in ('-f', '--fail'):
            opts['fail'] = True
        elif arg in ('-G', '--get'):
            opts['get'] = True
        elif arg in ('-H', '--header', '--data-urlencode'):
            if i + 1 >= len(argv):
                raise CurlError(2, f'option {arg}: requires parameter')
            value = argv[i + 1]
            i += 1
            if arg == '--data-urlencode':
                name, eq, content = value.partition('=')
                if not eq or not name:
                    raise CurlError(2, f'the fake takes --data-urlencode NAME=VALUE only: {value!r}')
                opts['data'].append((name, content))
            elif value == '@-':
                opts['headers'] += [h for h in stdin.read().splitlines() if h.strip()]
            elif value.startswith('@'):
                raise CurlError(2, 'the fake reads headers from stdin only (-H @-)')
            else:
                opts['headers'].append(value)
        elif arg.startswith('-'):
            raise CurlError(2, f'option {arg}: is unknown (to the fake)')
        elif opts['url'] is None:
            opts['url'] = arg
        else:
            raise CurlError(2, 'the fake takes one URL')
        i += 1
    if opts['url'] is None:
        raise CurlError(2, 'no URL specified')
    return opts


def parse_filter(text):
    """`key="value" AND ...` into a dict (the fake's subset of the Monitoring filter syntax)."""
    terms = {}
    for part in text.split(' AND '):
        match = TERM_RE.match(part)
        if not match:
            raise HttpError(400, f'filter: the fake takes key="value" terms joined by AND, not '
                            f'{part.strip()!r}')
        key = match.group(1).replace('resource.label.', 'resource.labels.')
        terms[key] = match.group(2)
    return terms


def figures_for(state_path, image, region, revision, metric):
    path = os.environ.get('FAKECLOUD_METRICS')
    if not path:
        return None
    with open(path, encoding='utf-8') as f:
        table = json.load(f)
    by_region = table.get(image) or {}
    entry = by_region.get(region, by_region.get('*'))
    if entry is None:
        return None
    if not isinstance(entry, list):
        return entry
    counter = state_path + '.metric-reads'
    fd = os.open(counter, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        text = os.read(fd, 1 << 20).decode('utf-8')
        reads = json.loads(text) if text.strip() else {}
        key = '\0'.join((region, revision, metric))
        n = reads.get(key, 0)
        reads[key] = n + 1
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(reads, sort_keys=True).encode('utf-8'))
    finally:
        os.close(fd)
    return entry[min(n, len(entry) - 1)]


def answer(opts):
    url = opts['url']
    if not url.startswith('https://monitoring.googleapis.com/'):
        host = urllib.parse.urlsplit(url).hostname or url
        raise CurlError(6, f'Could not resolve host: {host} (the fake answers the Monitoring '
                        'API only)')
    if not opts['get']:
        raise CurlError(2, 'the fake takes GET requests only (--get)')
    match = re.fullmatch(re.escape(API) + r'([^/]+)/timeSeries', url)
    if not match:
        raise HttpError(404, f'not a timeSeries.list URL: {url}')
    project = match.group(1)
    headers = [h.partition(':') for h in opts['headers']]
    auth = [v.strip() for k, _, v in headers if k.strip().lower() == 'authorization']
    if auth != [f'Bearer {fakegcloud.access_token(project)}']:
        raise HttpError(401, 'Request had invalid authentication credentials (the fake wants '
                        'the token of `gcloud auth print-access-token`).')
    params = {}
    for name, value in opts['data']:
        params.setdefault(name, []).append(value)
    known = ('filter', 'interval.startTime', 'interval.endTime', 'aggregation.alignmentPeriod',
             'aggregation.perSeriesAligner', 'aggregation.crossSeriesReducer',
             'aggregation.groupByFields')
    for name in params:
        if name not in known:
            raise HttpError(400, f'Invalid JSON payload received. Unknown name "{name}"')
    one = {k: v[-1] for k, v in params.items()}
    if 'filter' not in one:
        raise HttpError(400, 'Field filter had an invalid value: a filter is required')
    terms = parse_filter(one['filter'])
    metric = terms.get('metric.type')
    if metric not in METRICS:
        raise HttpError(400, f'The fake knows the Cloud Run metrics {sorted(METRICS)}, not '
                        f'{metric!r}')
    if terms.get('resource.type') != 'cloud_run_revision':
        raise HttpError(400, 'resource.type must be "cloud_run_revision"')
    for label in ('service_name', 'location', 'revision_name'):
        if f'resource.labels.{label}' not in terms:
            raise HttpError(400, f'the fake wants resource.labels.{label} in the filter')
    start, end = one.get('interval.startTime'), one.get('interval.endTime')
    if end is None or not TIME_RE.match(end) or (start is not None and not TIME_RE.match(start)):
        raise HttpError(400, 'interval.endTime is required, and both times are RFC 3339 UTC')
    if start is not None and start > end:
        raise HttpError(400, 'The start time must be before the end time')
    period = one.get('aggregation.alignmentPeriod')
    aligner = one.get('aggregation.perSeriesAligner', 'ALIGN_NONE')
    reducer = one.get('aggregation.crossSeriesReducer', 'REDUCE_NONE')
    kind, value_type, aligners = METRICS[metric]
    if aligner not in aligners:
        raise HttpError(400, f'The aligner {aligner} is not valid for {metric} '
                        f'({kind} {value_type})')
    if reducer not in REDUCERS:
        raise HttpError(400, f'Unknown crossSeriesReducer {reducer}')
    if aligner != 'ALIGN_NONE':
        if period is None or not re.fullmatch(r'[0-9]+s', period) or int(period[:-1]) < 60:
            raise HttpError(400, 'The alignment period must be at least 60s')
    if reducer != 'REDUCE_NONE' and aligner == 'ALIGN_NONE':
        raise HttpError(400, 'A cross-series reducer needs a per-series aligner')
    if value_type == 'DISTRIBUTION' and aligner in ('ALIGN_DELTA', 'ALIGN_SUM') \
            and reducer not in ('REDUCE_NONE', 'REDUCE_SUM') and 'PERCENTILE' not in reducer:
        raise HttpError(400, f'{reducer} does not apply to distributions')

    state_path = os.environ.get('FAKECLOUD_STATE')
    if not state_path:
        raise CurlError(2, 'FAKECLOUD_STATE is not set: run through tests/fakecloud/fakecloud')
    with fakegcloud.Store(state_path, exclusive=False) as store:
        record = store.state.find('run.service', terms['resource.labels.service_name'],
                                  terms['resource.labels.location'])
        revisions = fakegcloud.service_revisions(record) if record else []
    revision = terms['resource.labels.revision_name']
    images = [r['image'] for r in revisions if r['name'] == revision]
    if not images:
        return {}
    region = terms['resource.labels.location']
    figures = figures_for(state_path, images[0], region, revision, metric)
    if not figures:
        return {}
    interval = {'startTime': start or end, 'endTime': end}
    resource = {'type': 'cloud_run_revision',
                'labels': {'project_id': project, 'service_name': record['name'],
                           'location': region, 'revision_name': revision,
                           'configuration_name': record['name']}}
    requests = int(figures.get('requests', 0))
    if requests == 0:
        return {}
    if metric.endswith('request_count'):
        errors = int(figures.get('errors', 0))
        series = []
        for cls, n in (('2xx', requests - errors), ('5xx', errors)):
            if n:
                series.append({'metric': {'type': metric,
                                          'labels': {'response_code_class': cls}},
                               'resource': resource, 'metricKind': 'DELTA',
                               'valueType': 'INT64',
                               'points': [{'interval': interval,
                                           'value': {'int64Value': str(n)}}]})
        return {'timeSeries': series, 'unit': '1'}
    p99 = float(figures.get('p99Ms', 0))
    return {'timeSeries': [{'metric': {'type': metric}, 'resource': resource,
                            'metricKind': 'GAUGE', 'valueType': 'DOUBLE',
                            'points': [{'interval': interval, 'value': {'doubleValue': p99}}]}],
            'unit': 'ms'}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        opts = parse(argv, sys.stdin)
        try:
            body = answer(opts)
        except HttpError as e:
            if opts['fail']:
                sys.stderr.write(f'curl: (22) The requested URL returned error: {e.code} ({e})\n')
                return 22
            sys.stdout.write(json.dumps({'error': {'code': e.code, 'message': str(e)}}) + '\n')
            return 0
        sys.stdout.write(json.dumps(body, indent=2, sort_keys=True) + '\n')
        return 0
    except CurlError as e:
        sys.stderr.write(f'curl: ({e.status}) {e}\n')
        return e.status


if __name__ == '__main__':
    sys.exit(main())
