"""Provider secret formats, as data: (id, the variable or label a person would see beside it,
shape). Shapes follow the token layouts that secret scanners document and test against
(gitleaks' rule generators, trufflehog detectors, provider docs); every value drawn from them is
fresh random text, never a key from anywhere.

Shape language: literal text, and {CLASS:N} or {CLASS:N-M} for N (to M) random characters of a
class (see CLASSES)."""

import re
import string

CLASSES = {
    "A": string.ascii_letters + string.digits,
    "a": string.ascii_lowercase + string.digits,
    "U": string.ascii_uppercase,
    "UD": string.ascii_uppercase + string.digits,
    "L": string.ascii_lowercase,
    "Ll": string.ascii_letters,
    "D": string.digits,
    "h": "0123456789abcdef",
    "H": "0123456789ABCDEF",
    "b64": string.ascii_letters + string.digits + "+/",
    "w": string.ascii_letters + string.digits + "_-",
    "b32": string.ascii_uppercase + "234567",
    "bech": "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
    "ae": string.ascii_letters + string.digits + "=_-.",
}

# (id, labels a person sees next to it, shape)
FORMATS = [
    # cloud
    ("aws-access-key-id", ["AWS_ACCESS_KEY_ID", "aws_access_key_id", "Access key ID"], "AKIA{b32:16}"),
    ("aws-sts-key-id", ["AWS_ACCESS_KEY_ID", "AccessKeyId"], "ASIA{b32:16}"),
    ("aws-secret-access-key", ["AWS_SECRET_ACCESS_KEY", "aws_secret_access_key", "Secret access key"], "{b64:40}"),
    ("aws-session-token", ["AWS_SESSION_TOKEN"], "IQoJb3JpZ2luX2Vj{b64:80-120}"),
    ("gcp-api-key", ["GOOGLE_API_KEY", "apiKey", "API key"], "AIza{w:35}"),
    ("gcp-oauth-client-secret", ["client_secret", "GOOGLE_CLIENT_SECRET"], "GOCSPX-{w:28}"),
    ("gcp-oauth-access-token", ["access_token", "Authorization: Bearer"], "ya29.{w:60-90}"),
    ("gcp-service-account-key-id", ["private_key_id"], "{h:40}"),
    ("azure-client-secret", ["AZURE_CLIENT_SECRET", "client secret", "Value"], "{A:3}{D:1}Q~{w:34}"),
    ("azure-storage-key", ["AccountKey", "AZURE_STORAGE_KEY", "key1"], "{b64:86}=="),
    ("azure-sas-signature", ["sig"], "{b64:43}%3D"),
    ("alibaba-access-key-id", ["ALIBABA_CLOUD_ACCESS_KEY_ID", "AccessKey ID"], "LTAI{A:20}"),
    ("digitalocean-pat", ["DIGITALOCEAN_TOKEN", "do_token"], "dop_v1_{h:64}"),
    ("digitalocean-oauth", ["DO_OAUTH_TOKEN"], "doo_v1_{h:64}"),
    ("heroku-api-key-v2", ["HEROKU_API_KEY"], "HRKU-AA{w:58}"),
    ("flyio-token", ["FLY_API_TOKEN"], "fo1_{w:43}"),
    ("cloudflare-api-token", ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"], "{w:40}"),
    ("cloudflare-global-key", ["CF_API_KEY", "X-Auth-Key"], "{h:37}"),
    ("databricks-token", ["DATABRICKS_TOKEN"], "dapi{h:32}"),
    ("terraform-cloud-token", ["TFE_TOKEN", "token"], "{A:14}.atlasv1.{A:67}"),
    ("pulumi-token", ["PULUMI_ACCESS_TOKEN"], "pul-{h:40}"),
    ("doppler-token", ["DOPPLER_TOKEN"], "dp.pt.{A:43}"),
    ("vault-service-token", ["VAULT_TOKEN", "X-Vault-Token"], "hvs.{w:90}"),
    ("vault-legacy-token", ["VAULT_TOKEN"], "s.{A:24}"),
    ("vault-batch-token", ["VAULT_TOKEN"], "hvb.{w:138}"),
    ("openshift-token", ["oc login --token"], "sha256~{w:43}"),
    # source control and CI
    ("github-pat", ["GITHUB_TOKEN", "GH_TOKEN", "token"], "ghp_{A:36}"),
    ("github-oauth", ["GITHUB_OAUTH_TOKEN"], "gho_{A:36}"),
    ("github-app-token", ["GITHUB_TOKEN", "installation token"], "ghs_{A:36}"),
    ("github-user-to-server", ["token"], "ghu_{A:36}"),
    ("github-refresh", ["refresh_token"], "ghr_{A:36}"),
    ("github-fine-grained-pat", ["GITHUB_TOKEN", "Personal access token"], "github_pat_11{UD:20}_{A:59}"),
    ("gitlab-pat", ["GITLAB_TOKEN", "PRIVATE-TOKEN", "CI_JOB_TOKEN"], "glpat-{w:20}"),
    ("gitlab-runner-token", ["token", "CI_SERVER_TOKEN"], "glrt-{w:20}"),
    ("gitlab-deploy-token", ["deploy token"], "gldt-{w:20}"),
    ("gitlab-trigger-token", ["TRIGGER_TOKEN"], "glptt-{h:40}"),
    ("bitbucket-app-password", ["BITBUCKET_APP_PASSWORD"], "ATBB{A:32}"),
    ("atlassian-api-token", ["JIRA_API_TOKEN", "CONFLUENCE_TOKEN"], "ATATT3xFfGF0{w:50}={H:8}"),
    ("circleci-token", ["CIRCLE_TOKEN"], "CCIPAT_{A:22}_{h:40}"),
    ("travis-token", ["TRAVIS_TOKEN"], "{A:22}"),
    ("sonar-token", ["SONAR_TOKEN"], "squ_{h:40}"),
    ("snyk-token", ["SNYK_TOKEN"], "{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("jfrog-api-key", ["ARTIFACTORY_API_KEY", "X-JFrog-Art-Api"], "AKCp{A:69}"),
    ("harness-pat", ["HARNESS_API_KEY"], "pat.{A:22}.{A:24}.{A:20}"),
    # chat and collaboration
    ("slack-bot-token", ["SLACK_BOT_TOKEN", "bot token"], "xoxb-{D:12}-{D:13}-{A:24}"),
    ("slack-user-token", ["SLACK_TOKEN"], "xoxp-{D:12}-{D:12}-{D:13}-{h:32}"),
    ("slack-app-token", ["SLACK_APP_TOKEN"], "xapp-1-A{UD:10}-{D:13}-{h:64}"),
    ("slack-webhook", ["SLACK_WEBHOOK_URL", "webhook"], "https://hooks.slack.com/services/T{UD:8}/B{UD:10}/{A:24}"),
    ("discord-bot-token", ["DISCORD_TOKEN"], "M{A:23}.{w:6}.{w:38}"),
    ("telegram-bot-token", ["TELEGRAM_BOT_TOKEN"], "{D:10}:AA{w:33}"),
    ("teams-webhook", ["TEAMS_WEBHOOK"], "https://acme.webhook.office.com/webhookb2/{h:8}-{h:4}-{h:4}-{h:4}-{h:12}/IncomingWebhook/{h:32}"),
    ("mattermost-token", ["MM_TOKEN"], "{a:26}"),
    ("linear-api-key", ["LINEAR_API_KEY"], "lin_api_{A:40}"),
    ("notion-token", ["NOTION_TOKEN"], "ntn_{D:11}{A:35}"),
    ("asana-pat", ["ASANA_TOKEN"], "2/{D:16}/{D:16}:{h:32}"),
    # payments and commerce
    ("stripe-secret-key", ["STRIPE_SECRET_KEY", "Secret key"], "sk_live_{A:24-99}"),
    ("stripe-test-key", ["STRIPE_SECRET_KEY"], "sk_test_{A:24-60}"),
    ("stripe-restricted-key", ["Restricted key"], "rk_live_{A:24-99}"),
    ("stripe-webhook-secret", ["STRIPE_WEBHOOK_SECRET", "Signing secret"], "whsec_{A:32}"),
    ("square-access-token", ["SQUARE_ACCESS_TOKEN"], "EAAA{w:60}"),
    ("square-oauth-secret", ["SQUARE_APPLICATION_SECRET"], "sq0csp-{w:43}"),
    ("paypal-braintree-token", ["BRAINTREE_TOKEN"], "access_token$production${a:16}${h:32}"),
    ("shopify-access-token", ["SHOPIFY_ACCESS_TOKEN", "Admin API access token"], "shpat_{h:32}"),
    ("shopify-shared-secret", ["SHOPIFY_API_SECRET"], "shpss_{h:32}"),
    ("shopify-custom-app", ["SHOPIFY_TOKEN"], "shpca_{h:32}"),
    ("plaid-secret", ["PLAID_SECRET"], "{h:30}"),
    ("adyen-api-key", ["ADYEN_API_KEY"], "AQE{A:50}"),
    ("flutterwave-secret", ["FLW_SECRET_KEY"], "FLWSECK-{h:32}-X"),
    # messaging and email
    ("twilio-api-key", ["TWILIO_API_KEY", "API Key SID"], "SK{h:32}"),
    ("twilio-account-sid", ["TWILIO_ACCOUNT_SID", "Account SID"], "AC{h:32}"),
    ("twilio-auth-token", ["TWILIO_AUTH_TOKEN", "Auth Token"], "{h:32}"),
    ("sendgrid-api-key", ["SENDGRID_API_KEY"], "SG.{w:22}.{w:43}"),
    ("mailgun-api-key", ["MAILGUN_API_KEY"], "key-{h:32}"),
    ("mailchimp-api-key", ["MAILCHIMP_API_KEY"], "{h:32}-us{D:2}"),
    ("postmark-token", ["POSTMARK_SERVER_TOKEN"], "{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("brevo-api-key", ["SENDINBLUE_API_KEY", "BREVO_API_KEY"], "xkeysib-{h:64}-{A:16}"),
    # AI APIs
    ("openai-project-key", ["OPENAI_API_KEY"], "sk-proj-{w:58}T3BlbkFJ{w:58}"),
    ("openai-legacy-key", ["OPENAI_API_KEY"], "sk-{A:20}T3BlbkFJ{A:20}"),
    ("anthropic-api-key", ["ANTHROPIC_API_KEY", "x-api-key"], "sk-ant-api03-{w:93}AA"),
    ("huggingface-token", ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"], "hf_{Ll:34}"),
    ("cohere-api-key", ["CO_API_KEY", "COHERE_API_KEY"], "{A:40}"),
    ("perplexity-api-key", ["PPLX_API_KEY"], "pplx-{A:48}"),
    ("groq-api-key", ["GROQ_API_KEY"], "gsk_{A:52}"),
    ("replicate-token", ["REPLICATE_API_TOKEN"], "r8_{A:37}"),
    # package registries and containers
    ("npm-token", ["NPM_TOKEN", "//registry.npmjs.org/:_authToken"], "npm_{A:36}"),
    ("pypi-token", ["TWINE_PASSWORD", "password"], "pypi-AgEIcHlwaS5vcmc{w:70-120}"),
    ("rubygems-key", ["GEM_HOST_API_KEY"], "rubygems_{h:48}"),
    ("dockerhub-pat", ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD"], "dckr_pat_{w:27}"),
    ("nuget-key", ["NUGET_API_KEY"], "oy2{a:43}"),
    ("clojars-token", ["CLOJARS_PASSWORD"], "CLOJARS_{a:60}"),
    # observability
    ("datadog-api-key", ["DD_API_KEY", "DATADOG_API_KEY"], "{h:32}"),
    ("datadog-app-key", ["DD_APP_KEY"], "{h:40}"),
    ("newrelic-user-key", ["NEW_RELIC_API_KEY"], "NRAK-{UD:27}"),
    ("newrelic-license-key", ["NEW_RELIC_LICENSE_KEY"], "{h:36}NRAL"),
    ("newrelic-insert-key", ["NEW_RELIC_INSERT_KEY"], "NRII-{w:32}"),
    ("sentry-dsn", ["SENTRY_DSN", "dsn"], "https://{h:32}@o{D:6}.ingest.sentry.io/{D:7}"),
    ("sentry-user-token", ["SENTRY_AUTH_TOKEN"], "sntryu_{h:64}"),
    ("grafana-sa-token", ["GRAFANA_TOKEN"], "glsa_{A:32}_{h:8}"),
    ("grafana-cloud-token", ["GRAFANA_CLOUD_TOKEN"], "glc_{b64:48}"),
    ("dynatrace-token", ["DT_API_TOKEN"], "dt0c01.{UD:24}.{UD:64}"),
    ("honeycomb-key", ["HONEYCOMB_API_KEY"], "hcaik_{a:58}"),
    ("pagerduty-key", ["PAGERDUTY_TOKEN"], "u+{w:18}"),
    ("splunk-hec-token", ["SPLUNK_HEC_TOKEN"], "{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("launchdarkly-key", ["LD_SDK_KEY"], "sdk-{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    # identity, misc SaaS
    ("okta-token", ["OKTA_API_TOKEN", "SSWS"], "00{w:40}"),
    ("auth0-client-secret", ["AUTH0_CLIENT_SECRET"], "{w:64}"),
    ("onepassword-sa-token", ["OP_SERVICE_ACCOUNT_TOKEN"], "ops_eyJ{b64:120}"),
    ("age-secret-key", ["AGE_SECRET_KEY", "# secret key"], "AGE-SECRET-KEY-1{bech:58}"),
    ("mapbox-secret", ["MAPBOX_SECRET_TOKEN"], "sk.eyJ1Ijoi{A:30}.{w:22}"),
    ("algolia-admin-key", ["ALGOLIA_ADMIN_KEY"], "{h:32}"),
    ("postman-key", ["POSTMAN_API_KEY"], "PMAK-{h:24}-{h:34}"),
    ("planetscale-password", ["DATABASE_PASSWORD"], "pscale_pw_{w:43}"),
    ("supabase-service-key", ["SUPABASE_SERVICE_ROLE_KEY"], "sbp_{h:40}"),
    ("contentful-token", ["CONTENTFUL_ACCESS_TOKEN"], "CFPAT-{w:43}"),
    ("airtable-pat", ["AIRTABLE_TOKEN"], "pat{A:14}.{h:64}"),
    ("hubspot-key", ["HUBSPOT_ACCESS_TOKEN"], "pat-na1-{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("zendesk-token", ["ZENDESK_API_TOKEN"], "{A:40}"),
    ("facebook-token", ["FB_ACCESS_TOKEN"], "EAA{A:90-140}"),
    ("twitter-bearer", ["TWITTER_BEARER_TOKEN"], "AAAAAAAAAAAAAAAAAAAAA{A:26}%3D{A:50}"),
    ("dropbox-token", ["DROPBOX_TOKEN"], "sl.{w:130}"),
    ("kubernetes-sa-token-jwt", ["token"], "JWT"),
]

_TOKEN = re.compile(r"\{([A-Za-z0-9]+):(\d+)(?:-(\d+))?\}")


def render(shape, rng):
    """One random value of `shape`."""
    def one(m):
        cls, lo, hi = m.group(1), int(m.group(2)), m.group(3)
        n = rng.randint(lo, int(hi)) if hi else lo
        alphabet = CLASSES[cls]
        return "".join(rng.choice(alphabet) for _ in range(n))
    return _TOKEN.sub(one, shape)


def provider_ids():
    return [f[0] for f in FORMATS]
