import type { FindingReport, MigrationReport } from './report-types';
import {
  MigrationPart, migrationsOf, powertoolsFunctionsOf, XRAY_SDK_END_OF_SUPPORT, XRAY_SDK_MAINTENANCE_SINCE, XRAY_SDK_TIMELINE_URL,
} from '../template/migration';
import { TemplateModel } from '../template/model';


/** The migration section for the given stacks, with the acknowledgments of the rule's findings. */
export function migrationReport(model: TemplateModel, stackIds: ReadonlySet<string>, findings: FindingReport[],
  typeNameOf: (type: string) => string): MigrationReport {
  const acknowledged = new Map(findings.filter(f => f.rule === RULE_ID && f.acknowledged !== undefined).map(f => [f.nodeId, f.acknowledged!]));
  const inStacks = <T extends { stackId: string }>(items: T[]) => items.filter(i => stackIds.has(i.stackId));
  return {
    maintenanceSince: XRAY_SDK_MAINTENANCE_SINCE,
    endOfSupport: XRAY_SDK_END_OF_SUPPORT,
    source: XRAY_SDK_TIMELINE_URL,
    items: inStacks(migrationsOf(model)).map(m => {
      const nodeId = `${m.stackId}/${m.logicalId}`;
      const ack = acknowledged.get(nodeId);
      return {
        nodeId,
        stackId: m.stackId,
        logicalId: m.logicalId,
        ...(m.path !== undefined ? { path: m.path } : {}),
        type: m.type,
        typeName: typeNameOf(m.type),
        parts: m.parts,
        ...(ack !== undefined ? { acknowledged: ack } : {}),
      };
    }),
    powertoolsFunctions: inStacks(powertoolsFunctionsOf(model)).map(r => ({ nodeId: r.key, ...(r.path !== undefined ? { path: r.path } : {}) })),
  };
}

const RULE_ID = 'XRay-XRaySdkEndOfSupport';

/** The section as text lines; one line when there is nothing to migrate. */
export function migrationText(m: MigrationReport): string[] {
  const dates = `maintenance since ${m.maintenanceSince}, end of support ${m.endOfSupport}`;
  const out: string[] = [];
  if (m.items.length === 0) {
    out.push(`X-Ray SDK and daemon migration: nothing to migrate, no resource uses an X-Ray SDK or the X-Ray daemon (${dates}).`);
  } else {
    out.push(`X-Ray SDK and daemon migration: ${m.items.length} resource(s) to move to OpenTelemetry (${dates}; ${m.source}):`);
    for (const item of m.items) {
      out.push(`  ${item.path ?? item.nodeId} (${item.typeName})${item.acknowledged !== undefined ? ` [acknowledged: ${item.acknowledged}]` : ''}`);
      for (const p of item.parts) {
        out.push(`    ${p.name}: ${usesText(p)} (${p.evidence})`, `      ${p.change}`);
      }
    }
  }
  if (m.powertoolsFunctions.length > 0) {
    out.push(`  ${m.powertoolsFunctions.length} function(s) use Powertools Tracer, built on the X-Ray SDK: Powertools replaces that dependency, ` +
      'so keep Powertools up to date (or move to LambdaInstrumentation.adot()).');
  }
  return out;
}

/** What a part uses, for people. */
export function usesText(p: MigrationPart): string {
  return p.uses === 'xrayDaemon' ? 'the X-Ray daemon' : 'an X-Ray SDK';
}
