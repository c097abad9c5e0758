package io.github.cdkxrayconstructs.examples.serverlessapi;

import io.github.cdkxrayconstructs.XRayChecks;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/** Synthesizes without AWS credentials, from examples/java: {@code cdk synth --app 'java -cp ... ServerlessApiApp'}. */
public final class ServerlessApiApp {
    private ServerlessApiApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new ServerlessApiStack(app, "ServerlessApi", StackProps.builder().build(), true);
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new XRayChecks(app));
        app.synth();
    }
}
