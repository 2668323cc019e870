#!/usr/bin/env bash
# A user's own certificates, created the way the user would have created them, with gcloud,
# before multirun: what `loadBalancer.certificates.sslCertificates` and `certificateMap` point
# at. Run it in the fake cloud (tests/fakecloud) before deploy.sh:
#
#   tests/fakecloud/fakecloud STATE.json -- bash tests/support/seed-user-certificates.sh PROJECT DIR
#
# - `app-example-com`: a self-managed classic certificate (uploaded from PEM files);
# - `www-example-com`: a Google-managed classic certificate for www.example.com;
# - `shared-certificates`: a Certificate Manager map with entries for example.com and
#   *.example.com, on the Google-managed certificate `shared-wildcard` (DNS authorization
#   `shared-auth`).
#
# The names are those of tests/fixtures/render/certificates-existing and
# certificate-map-existing. DIR receives the PEM files (the fake checks their armour and that
# each holds a DER SEQUENCE, not the certificate itself, so these hold a minimal one).
set -euo pipefail

PROJECT="${1:?usage: seed-user-certificates.sh PROJECT DIR}"
DIR="${2:?usage: seed-user-certificates.sh PROJECT DIR}"

printf -- '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n' >"$DIR/user.crt"
printf -- '-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n' >"$DIR/user.key"

gcloud compute ssl-certificates create app-example-com --global \
  --certificate="$DIR/user.crt" --private-key="$DIR/user.key" --project="$PROJECT"
gcloud compute ssl-certificates create www-example-com --global \
  --domains=www.example.com --project="$PROJECT"

gcloud certificate-manager dns-authorizations create shared-auth --domain=example.com \
  --project="$PROJECT"
gcloud certificate-manager certificates create shared-wildcard \
  --domains='example.com,*.example.com' --dns-authorizations=shared-auth --project="$PROJECT"
gcloud certificate-manager maps create shared-certificates --project="$PROJECT"
gcloud certificate-manager maps entries create shared-apex --map=shared-certificates \
  --hostname=example.com --certificates=shared-wildcard --project="$PROJECT"
gcloud certificate-manager maps entries create shared-star --map=shared-certificates \
  --hostname='*.example.com' --certificates=shared-wildcard --project="$PROJECT"
