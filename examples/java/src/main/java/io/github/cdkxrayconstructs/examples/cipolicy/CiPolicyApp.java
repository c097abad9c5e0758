package io.github.cdkxrayconstructs.examples.cipolicy;

import io.github.cdkxrayconstructs.XRayChecks;
import io.github.cdkxrayconstructs.XRayChecksProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/**
 * The CI gate: {@code cdk synth} exits non-zero while XRayChecks finds anything unacknowledged.
 * With {@code -c acknowledge=false} it fails with the three findings; by default it passes (acknowledged).
 * Gate on {@code cdk synth}: run on its own, the app writes the same findings to cdk.out/validation-report.json but
 * exits 0, because aws-cdk-lib sets the exit code of the jsii runtime's Node.js process, not the JVM's.
 */
public final class CiPolicyApp {
    private CiPolicyApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        boolean acknowledge = !"false".equals(app.getNode().tryGetContext("acknowledge"));
        new CiPolicyStack(app, "CiPolicy", StackProps.builder().build(), acknowledge);
        Validations.of(app).addPlugins(new XRayChecks(app, XRayChecksProps.builder()
            .monthlyBudgetUsd(CiPolicyStack.MONTHLY_BUDGET_USD)
            .requestsPerSecondByRule(CiPolicyStack.REQUESTS_PER_SECOND_BY_RULE)
            .build()));
        app.synth();
    }
}
