"""The synth-overhead benchmark app (benchmarks/synth-overhead/app.ts) in Python, in two builds.

Usage: CDK_OUTDIR=<dir> python app.py <by-hand|library> <stacks> <functionsPerStack>
`by-hand` turns tracing on with aws-cdk-lib's own props; `library` builds the same app untraced and lets
EnableTracingAspect trace it, with XRayChecks gating the synthesis. Prints one JSON line with the wall time of the
synthesis (from the first construct to the written assembly) in milliseconds.
"""
import json
import sys
import time

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn

from cdk_xray_constructs import EnableTracingAspect, XRayChecks

variant, stacks, functions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
by_hand = variant == "by-hand"
started = time.perf_counter()

app = cdk.App(context={"aws:cdk:bundling-stacks": []})
for s in range(stacks):
    stack = cdk.Stack(app, f"Bench{s}")
    api = apigw.RestApi(stack, "Api", cloud_watch_role=False,
                        deploy_options=apigw.StageOptions(tracing_enabled=True) if by_hand else None)
    for f in range(functions):
        fn = lambda_.Function(stack, f"Fn{f}", runtime=lambda_.Runtime.NODEJS_22_X, handler="index.handler",
                              code=lambda_.Code.from_inline("exports.handler = async () => ({ statusCode: 200 });"),
                              tracing=lambda_.Tracing.ACTIVE if by_hand else None)
        api.root.add_resource(f"r{f}").add_method("GET", apigw.LambdaIntegration(fn, allow_test_invoke=False))
    dynamodb.TableV2(stack, "Table", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING))
    sqs.Queue(stack, "Queue")
    sns.Topic(stack, "Events", tracing_config=sns.TracingConfig.ACTIVE if by_hand else None)
    flow = sfn.StateMachine(stack, "Flow", definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "Step")),
                            tracing_enabled=True if by_hand else None)
    events.Rule(stack, "Schedule", schedule=events.Schedule.rate(cdk.Duration.hours(1)),
                targets=[targets.SfnStateMachine(flow)])

if not by_hand:
    cdk.Aspects.of(app).add(EnableTracingAspect(), priority=cdk.AspectPriority.MUTATING)
    cdk.Validations.of(app).add_plugins(XRayChecks(app))

app.synth()
print(json.dumps({"variant": variant, "wallMs": (time.perf_counter() - started) * 1000}))
