"""Synthesizes without AWS credentials: `CDK_OUTDIR=cdk.out python3 app.py` or `cdk synth --app 'python3 app.py'`."""
import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from cdk_xray_constructs import XRayChecks
from stack import ServerlessApiStack

app = cdk.App()
ServerlessApiStack(app, "ServerlessApi")
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), XRayChecks(app))
app.synth()
