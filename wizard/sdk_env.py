"""What the vendor's SDK (and its Terraform provider) read from the environment, and how long one API call
may take by default.

Apart from `wizard.connection` so the command line can describe its flags without importing how
connections are made (the interactive wizard parses them before its first frame).
"""

ENV_AK = "HUAWEICLOUD_SDK_AK"
ENV_SK = "HUAWEICLOUD_SDK_SK"
ENV_PROJECT_ID = "HUAWEICLOUD_SDK_PROJECT_ID"
ENV_SECURITY_TOKEN = "HUAWEICLOUD_SDK_SECURITY_TOKEN"  # noqa: S105 - a variable name, not a secret
ENV_CREDENTIALS_FILE = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
ENV_IAM_ENDPOINT = "HUAWEICLOUD_SDK_IAM_ENDPOINT"
#: The account (domain) ID that global credentials, such as the billing APIs take, send as X-Domain-Id.
ENV_DOMAIN_ID = "HUAWEICLOUD_SDK_DOMAIN_ID"
#: The Terraform provider's region variable, read when --region is not given.
ENV_REGION = "HW_REGION_NAME"

#: Seconds one API call may take.
DEFAULT_TIMEOUT = 30.0
