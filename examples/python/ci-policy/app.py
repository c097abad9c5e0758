"""The CI gate: `cdk synth` exits non-zero while XRayChecks finds anything unacknowledged.
    cdk synth --app 'python3 app.py'                         -> passes (acknowledged)
    cdk synth --app 'python3 app.py' -c acknowledge=false    -> exits 1 with the three findings
Gate on `cdk synth`: `python3 app.py` alone writes the same findings to cdk.out/validation-report.json but exits 0,
because aws-cdk-lib sets the exit code of the jsii runtime's Node.js process, not Python's.
"""
import aws_cdk as cdk

from cdk_xray_constructs import XRayChecks
from stack import MONTHLY_BUDGET_USD, REQUESTS_PER_SECOND_BY_RULE, CiPolicyStack

app = cdk.App()
CiPolicyStack(app, "CiPolicy", acknowledge=app.node.try_get_context("acknowledge") != "false")
cdk.Validations.of(app).add_plugins(XRayChecks(app,
    monthly_budget_usd=MONTHLY_BUDGET_USD,
    requests_per_second_by_rule=REQUESTS_PER_SECOND_BY_RULE,
))
app.synth()
