package io.github.cdkxrayconstructs.examples.ecsfargatexraydaemon;

import io.github.cdkxrayconstructs.XRayChecks;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/** Synthesizes without AWS credentials or a Docker engine (the app image is built at deploy time). */
public final class EcsFargateXRayDaemonApp {
    private EcsFargateXRayDaemonApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new EcsFargateXRayDaemonStack(app, "EcsFargateXRayDaemon", StackProps.builder().build());
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
        app.synth();
    }
}
