"""Synthesizes without AWS credentials: `CDK_OUTDIR=cdk.out python3 app.py`."""
import aws_cdk as cdk

from cdk_xray_constructs import XRayChecks
from stack import EksAdotStack

app = cdk.App()
EksAdotStack(app, "EksAdot")
cdk.Validations.of(app).add_plugins(XRayChecks(app))
app.synth()
