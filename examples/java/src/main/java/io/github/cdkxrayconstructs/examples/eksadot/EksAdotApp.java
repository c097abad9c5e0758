package io.github.cdkxrayconstructs.examples.eksadot;

import io.github.cdkxrayconstructs.XRayChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/** Synthesizes without AWS credentials. */
public final class EksAdotApp {
    private EksAdotApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new EksAdotStack(app, "EksAdot", StackProps.builder().build());
        Validations.of(app).addPlugins(new XRayChecks(app));
        app.synth();
    }
}
