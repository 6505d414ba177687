#!/usr/bin/env bash
# The plexsphere tutorial "Issue a Cloud Credential" and its how-to
# (../shared/seeds/000 and 001) with plexctl, as written there apart from
# the server address and the login (the spec logs the operator profile in
# through the device flow first). The payload's secret is $SECRET_VALUE so
# the spec can search every output for it. Needs PATH with plexctl first,
# PLEXSPHERE_URL, XDG_CONFIG_HOME. Prints "name=value" lines for the spec.
set -euo pipefail

# The "Create a Cloud" lesson this one builds on, when its Cloud is not there yet.
if [ -z "$(plexctl cloud list --all --profile operator --output json | jq -r '.items[] | select(.slug == "demo-cloud") | .id')" ]; then
  plexctl cloud create --display-name "Demo Cloud" --slug demo-cloud --provider aws --external-id 123456789012 \
    --region-default region=eu-west-1 --profile operator --output json > /dev/null
fi

# Step 1 - Recover the Cloud id
CLOUD_ID=$(plexctl cloud list --all --profile operator --output json \
  | jq -r '.items[] | select(.slug == "demo-cloud") | .id')
echo "CLOUD_ID=$CLOUD_ID"

# Step 2 - Issue the demo Credential
printf '{"access_key_id":"AKIAEXAMPLE","secret_access_key":"%s"}' "${SECRET_VALUE:-example}" > /tmp/demo-credential.json
CREDENTIAL_ID=$(plexctl cloud credential create \
  --cloud-id "$CLOUD_ID" \
  --display-name demo-credential \
  --payload-file /tmp/demo-credential.json \
  --profile operator --output json | jq -r '.id')
echo "CREDENTIAL_ID=$CREDENTIAL_ID"
rm -f /tmp/demo-credential.json

# The how-to: the payload piped on stdin with --payload-file -, plus a --key-value.
SECRET_JSON="{\"access_key_id\":\"AKIAEXAMPLE\",\"secret_access_key\":\"${SECRET_VALUE:-example}\"}"
STDIN_CREDENTIAL_ID=$(printf '%s' "${SECRET_JSON}" | plexctl cloud credential create \
  --server       "${PLEXSPHERE_URL}" \
  --cloud-id     "$CLOUD_ID" \
  --display-name "Acme AWS provisioner secret" \
  --payload-file - \
  --key-value    role_arn=arn:aws:iam::123456789012:role/acme-provisioner \
  --profile operator --output json | jq -r '.id')
echo "STDIN_CREDENTIAL_ID=$STDIN_CREDENTIAL_ID"

# Verify
echo "GET=$(plexctl cloud credential get "$CREDENTIAL_ID" --server "${PLEXSPHERE_URL}" --profile operator --output json | jq -c .)"
echo "LIST=$(plexctl cloud credential list --cloud-id "$CLOUD_ID" --server "${PLEXSPHERE_URL}" --profile operator --output json | jq -c '[.items[].id]')"
