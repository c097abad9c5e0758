"""Synthesizes without AWS credentials or a Docker engine (the app image is built at deploy time):
`CDK_OUTDIR=cdk.out python3 app.py`."""
import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from cdk_xray_constructs import XRayChecks
from stack import ApplicationSignalsStack

app = cdk.App()
ApplicationSignalsStack(app, "ApplicationSignals")
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), XRayChecks(app))
app.synth()
