/**
 * The `resourcedetection` processor as the platform that runs the collector needs it: its detectors (`env`, `eks`,
 * `ec2`, `ecs`, ...), their timeout (a Go duration) and each detector's own settings, keyed by detector name.
 */
export interface ResourceDetection {
  readonly detectors: readonly string[];
  readonly timeout: string;
  readonly detectorSettings?: Readonly<Record<string, Record<string, unknown>>>;
}
