import io.github.cdkxrayconstructs.EnableTracingAspect;
import io.github.cdkxrayconstructs.XRayChecks;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.TracingConfig;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.StateMachine;

/**
 * The synth-overhead benchmark app (benchmarks/synth-overhead/app.ts) in Java, in two builds.
 *
 * <p>Usage: {@code CDK_OUTDIR=<dir> java -cp ... BenchApp <by-hand|library> <stacks> <functionsPerStack>}. {@code by-hand}
 * turns tracing on with aws-cdk-lib's own props; {@code library} builds the same app untraced and lets EnableTracingAspect
 * trace it, with XRayChecks gating the synthesis. Prints one JSON line with the wall time of the synthesis (from the
 * first construct to the written assembly) in milliseconds.
 */
public final class BenchApp {
    private BenchApp() {
    }

    public static void main(final String[] args) {
        String variant = args[0];
        int stacks = Integer.parseInt(args[1]);
        int functions = Integer.parseInt(args[2]);
        boolean byHand = "by-hand".equals(variant);
        long started = System.nanoTime();

        App app = new App(AppProps.builder().context(Map.of("aws:cdk:bundling-stacks", List.of())).build());
        for (int s = 0; s < stacks; s++) {
            Stack stack = new Stack(app, "Bench" + s);
            RestApi api = RestApi.Builder.create(stack, "Api").cloudWatchRole(false)
                .deployOptions(byHand ? StageOptions.builder().tracingEnabled(true).build() : null).build();
            for (int f = 0; f < functions; f++) {
                Function fn = Function.Builder.create(stack, "Fn" + f).runtime(Runtime.NODEJS_22_X).handler("index.handler")
                    .code(Code.fromInline("exports.handler = async () => ({ statusCode: 200 });"))
                    .tracing(byHand ? Tracing.ACTIVE : null).build();
                api.getRoot().addResource("r" + f).addMethod("GET",
                    new LambdaIntegration(fn, LambdaIntegrationOptions.builder().allowTestInvoke(false).build()));
            }
            TableV2.Builder.create(stack, "Table")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build()).build();
            new Queue(stack, "Queue");
            Topic.Builder.create(stack, "Events").tracingConfig(byHand ? TracingConfig.ACTIVE : null).build();
            StateMachine flow = StateMachine.Builder.create(stack, "Flow")
                .definitionBody(DefinitionBody.fromChainable(new Pass(stack, "Step")))
                .tracingEnabled(byHand ? Boolean.TRUE : null).build();
            Rule.Builder.create(stack, "Schedule").schedule(Schedule.rate(Duration.hours(1)))
                .targets(List.of(new SfnStateMachine(flow))).build();
        }
        if (!byHand) {
            Aspects.of(app).add(new EnableTracingAspect(), AspectOptions.builder().priority(AspectPriority.MUTATING).build());
            Validations.of(app).addPlugins(new XRayChecks(app));
        }
        app.synth();
        System.out.println("{\"variant\": \"" + variant + "\", \"wallMs\": " + (System.nanoTime() - started) / 1e6 + "}");
    }
}
