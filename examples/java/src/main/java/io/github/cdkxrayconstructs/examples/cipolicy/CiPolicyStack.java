package io.github.cdkxrayconstructs.examples.cipolicy;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import io.github.cdkxrayconstructs.LambdaInstrumentation;
import io.github.cdkxrayconstructs.SamplingRate;
import io.github.cdkxrayconstructs.SamplingRule;
import io.github.cdkxrayconstructs.TracedFunction;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * What a CI policy gate catches (the Java twin of examples/ci-policy): a function nobody traced, an annotation key
 * that would index personal data, and a sampling rule that records every request of a busy service.
 */
public class CiPolicyStack extends Stack {
    /** The requests per second each sampling rule of this app matches, for the cost check. */
    public static final Map<String, Number> REQUESTS_PER_SECOND_BY_RULE = Map.of("checkout-everything", 300);

    /** The monthly X-Ray budget the cost check enforces, in USD. */
    public static final int MONTHLY_BUDGET_USD = 100;

    public CiPolicyStack(final Construct scope, final String id, final StackProps props, final boolean acknowledge) {
        super(scope, id, props);
        Code code = Code.fromAsset(Paths.get("..", "ci-policy", "handler").toString());
        Function untraced = Function.Builder.create(this, "Reports")
            .runtime(Runtime.NODEJS_22_X).handler("index.handler").code(code).build();
        TracedFunction checkout = TracedFunction.Builder.create(this, "Checkout")
            .runtime(Runtime.NODEJS_22_X)
            .handler("index.handler")
            .code(code)
            .instrumentation(LambdaInstrumentation.powertools())
            .annotationKeys(List.of("tenant_tier", "customer_email"))
            .build();
        SamplingRule everything = SamplingRule.Builder.create(this, "Everything")
            .samplingRuleName("checkout-everything")
            .priority(10)
            .serviceName("checkout")
            .fixedRate(SamplingRate.all())
            .reservoirSize(0)
            .build();

        if (acknowledge) {
            Validations.of(untraced).acknowledge(Acknowledgment.builder().id("XRay-LambdaFunctionUntraced")
                .reason("Internal report job started by an operator; its traces are not needed.").build());
            Validations.of(checkout).acknowledge(Acknowledgment.builder().id("XRay-AnnotationKeyPolicy[denied:customer_email]")
                .reason("Staging only: synthetic customers, no personal data.").build());
            Validations.of(everything).acknowledge(Acknowledgment.builder().id("XRay-TraceCostBudget")
                .reason("Load test this week; the rule is removed on Friday.").build());
        }
    }
}
