"""Checks the YAML files that deploy.sh applies with gcloud's own parsers, offline.

Run with the Python interpreter of a Google Cloud SDK installation:

    python gcloud_validate.py SDK_ROOT OUTPUT_DIR...

- gcloud/run-service-*.yaml (and the multi-region gcloud/run-service.yaml): converted to the Cloud Run v1 `Service` message exactly as
  `gcloud run services replace` does (unknown fields and wrong types fail);
- gcloud/backend-service*.yaml and the URL maps: validated against the import schemas that ship
  with gcloud and converted to the Compute v1 messages, as `gcloud compute ... import` does;
- gcloud/security-policy.yaml: read with the parser of `gcloud compute security-policies create
  --file-name` (`SecurityPolicyFromFile`), which fails on a missing or mistyped field.
- clouddeploy/clouddeploy.yaml (when rendered): loaded by `gcloud deploy apply`'s own loader,
  `manifest_util.ParseDeployConfig`, into the Cloud Deploy v1 messages (unknown fields fail), and
  clouddeploy/run-service.yaml converted like the run-service files above.

Used by tests/deploy_scripts.rs. Prints one line per file and exits 1 if any file fails.
"""
import glob
import os
import sys

sdk = sys.argv[1]
sys.path[:0] = [os.path.join(sdk, 'lib'), os.path.join(sdk, 'lib', 'third_party')]

from googlecloudsdk.api_lib.util import apis  # noqa: E402
from googlecloudsdk.api_lib.util import messages as messages_util  # noqa: E402
from googlecloudsdk.command_lib.export import util as export_util  # noqa: E402
from googlecloudsdk.command_lib.compute.security_policies import security_policies_utils  # noqa: E402
from googlecloudsdk.command_lib.deploy import manifest_util  # noqa: E402
from googlecloudsdk.core import properties  # noqa: E402
from googlecloudsdk.core import yaml  # noqa: E402

run = apis.GetMessagesModule('run', 'v1')
compute = apis.GetMessagesModule('compute', 'v1')
EXTERNAL_MANAGED = compute.BackendService.LoadBalancingSchemeValueValuesEnum.EXTERNAL_MANAGED


def compute_import(message_type, name, text):
    return export_util.Import(
        message_type=message_type, stream=text,
        schema_path=export_util.GetSchemaPath('compute', 'v1', name))


def check_verify(path, pipeline):
    """A stage with `verify: true` needs skaffold.yaml's `verify` list (Cloud Deploy runs
    `skaffold verify`), and a canary's verify probe needs the tag it requests in
    `canaryRevisionTags`; `verify: false` everywhere needs neither."""
    with open(os.path.join(os.path.dirname(path), 'skaffold.yaml')) as f:
        skaffold = yaml.load(f.read())
    verifiers = skaffold.get('verify') or []
    for stage in pipeline.serialPipeline.stages:
        strategy = stage.strategy
        if strategy.canary:
            verify = strategy.canary.canaryDeployment.verify
            tags = strategy.canary.runtimeConfig.cloudRun.canaryRevisionTags
            if verify:
                assert tags, f'{stage.targetId}: verify without canaryRevisionTags'
                script = verifiers[0]['container']['args'][-1] if verifiers else ''
                assert all(f'{tag}---' in script for tag in tags), \
                    f'{stage.targetId}: the probe does not use the tags {tags}'
        else:
            verify = strategy.standard.verify
        assert bool(verify) == bool(verifiers), \
            f'{stage.targetId}: verify is {verify}, skaffold.yaml has {len(verifiers)} verifier(s)'


def check(path):
    name = os.path.basename(path)
    with open(path) as f:
        text = f.read()
    if name.startswith('run-service'):
        service = messages_util.DictToMessageWithErrorCheck(yaml.load(text), run.Service)
        container = service.spec.template.spec.containers[0]
        assert container.startupProbe and container.livenessProbe, 'probes are missing'
    elif name.startswith('backend-service'):
        backend = compute_import(compute.BackendService, 'BackendService', text)
        assert backend.loadBalancingScheme == EXTERNAL_MANAGED, 'not EXTERNAL_MANAGED'
        assert not backend.healthChecks and backend.timeoutSec is None, 'health check or timeout'
        for b in backend.backends:
            assert b.balancingMode is None and b.capacityScaler is None and b.maxRate is None
    elif name.endswith('url-map.yaml'):
        compute_import(compute.UrlMap, 'UrlMap', text)
    elif name == 'security-policy.yaml':
        with open(path) as f:
            policy = security_policies_utils.SecurityPolicyFromFile(f, compute, 'yaml')
        assert policy.type == compute.SecurityPolicy.TypeValueValuesEnum.CLOUD_ARMOR, 'not CLOUD_ARMOR'
        assert policy.rules[-1].priority == 2147483647, 'no default rule last'
    elif name == 'clouddeploy.yaml':
        properties.VALUES.core.project.Set('my-project')
        parsed = manifest_util.ParseDeployConfig(
            apis.GetMessagesModule('clouddeploy', 'v1'), list(yaml.load_all(text)), 'us-central1')
        kinds = {kind: len(resources) for kind, resources in parsed.items() if resources}
        assert kinds.get('DeliveryPipeline') == 1 and kinds.get('Target') and \
            kinds.get('Automation'), f'missing resources: {kinds}'
        check_verify(path, parsed['DeliveryPipeline'][0])
    else:
        raise AssertionError('unexpected file')


status = 0
for out in sys.argv[2:]:
    files = sorted(glob.glob(os.path.join(out, 'gcloud', '*.yaml')))
    if not files:
        print('FAIL', out, 'has no gcloud/*.yaml')
        status = 1
    files += [path for path in (os.path.join(out, 'clouddeploy', 'clouddeploy.yaml'),
                                os.path.join(out, 'clouddeploy', 'run-service.yaml'))
              if os.path.exists(path)]
    for path in files:
        try:
            check(path)
            print('ok', path)
        except Exception as e:  # pylint: disable=broad-except
            status = 1
            print('FAIL', path, type(e).__name__, (str(e).splitlines() or [''])[0])
sys.exit(status)
