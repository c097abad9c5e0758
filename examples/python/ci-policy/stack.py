import os

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_xray_constructs import LambdaInstrumentation, SamplingRate, SamplingRule, TracedFunction

HANDLER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ci-policy", "handler")

# The requests per second each sampling rule of this app matches, for the cost check.
REQUESTS_PER_SECOND_BY_RULE = {"checkout-everything": 300}

# The monthly X-Ray budget the cost check enforces, in USD.
MONTHLY_BUDGET_USD = 100


class CiPolicyStack(Stack):
    """What a CI policy gate catches (the Python twin of examples/ci-policy): a function nobody traced, an annotation
    key that would index personal data, and a sampling rule that records every request of a busy service.
    """

    def __init__(self, scope: Construct, construct_id: str, *, acknowledge: bool = False, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        code = lambda_.Code.from_asset(HANDLER)
        self.untraced = lambda_.Function(self, "Reports", runtime=lambda_.Runtime.NODEJS_22_X, handler="index.handler", code=code)
        self.checkout = TracedFunction(self, "Checkout",
            runtime=lambda_.Runtime.NODEJS_22_X,
            handler="index.handler",
            code=code,
            instrumentation=LambdaInstrumentation.powertools(),
            annotation_keys=["tenant_tier", "customer_email"],
        )
        self.everything = SamplingRule(self, "Everything",
            sampling_rule_name="checkout-everything",
            priority=10,
            service_name="checkout",
            fixed_rate=SamplingRate.all(),
            reservoir_size=0,
        )

        if acknowledge:
            Validations.of(self.untraced).acknowledge(Acknowledgment(
                id="XRay-LambdaFunctionUntraced",
                reason="Internal report job started by an operator; its traces are not needed.",
            ))
            Validations.of(self.checkout).acknowledge(Acknowledgment(
                id="XRay-AnnotationKeyPolicy[denied:customer_email]",
                reason="Staging only: synthetic customers, no personal data.",
            ))
            Validations.of(self.everything).acknowledge(Acknowledgment(
                id="XRay-TraceCostBudget",
                reason="Load test this week; the rule is removed on Friday.",
            ))
