#!/usr/bin/env bash
# The "Issue with the HTTP API" walkthrough from the plexsphere how-to
# (../shared/seeds/001), as written there, plus the read-back, list and
# revoke steps. Needs PLEXSPHERE_URL, TOKEN and CLOUD_ID; prints one JSON
# document per step, separated by lines holding "---".
set -euo pipefail
cd "$(mktemp -d)"
printf '{"access_key_id":"AKIAEXAMPLE","secret_access_key":"%s"}' "${SECRET_VALUE:-example}" > ./aws-provisioner.json

CREATED=$(curl --silent --show-error --fail-with-body -X POST \
  -H "Authorization: Bearer ${TOKEN}" -H 'content-type: application/json' \
  "${PLEXSPHERE_URL}/v1/clouds/${CLOUD_ID}/cloud-credentials" -d '{
  "display_name": "Acme AWS provisioner secret",
  "payload": "'"$(base64 < ./aws-provisioner.json | tr -d '\n')"'",
  "key_values": {"role_arn": "arn:aws:iam::123456789012:role/acme-provisioner"}
}')
echo "$CREATED"
echo ---
CREDENTIAL_ID=$(printf '%s' "$CREATED" | sed -E 's/.*"id":"([0-9a-f-]{36})".*/\1/')

curl --silent --show-error --fail-with-body -H "Authorization: Bearer ${TOKEN}" "${PLEXSPHERE_URL}/v1/cloud-credentials/${CREDENTIAL_ID}"
echo
echo ---
curl --silent --show-error --fail-with-body -H "Authorization: Bearer ${TOKEN}" "${PLEXSPHERE_URL}/v1/clouds/${CLOUD_ID}/cloud-credentials"
echo
echo ---
curl --silent --show-error --fail-with-body -X POST -H "Authorization: Bearer ${TOKEN}" -H 'content-type: application/json' \
  "${PLEXSPHERE_URL}/v1/cloud-credentials/${CREDENTIAL_ID}/revoke" -d '{"reason": "walkthrough finished"}'
echo
