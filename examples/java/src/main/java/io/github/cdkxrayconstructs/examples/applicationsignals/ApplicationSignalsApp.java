package io.github.cdkxrayconstructs.examples.applicationsignals;

import io.github.cdkxrayconstructs.XRayChecks;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/** Synthesizes without AWS credentials or a Docker engine (the app image is built at deploy time). */
public final class ApplicationSignalsApp {
    private ApplicationSignalsApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new ApplicationSignalsStack(app, "ApplicationSignals", StackProps.builder().build());
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
        app.synth();
    }
}
