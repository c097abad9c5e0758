import { Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';

/** A principal a customer-managed policy of this app can be attached to. */
export type AttachablePrincipal = (iam.Role | iam.User | iam.Group | iam.IRole) & IConstruct;

/**
 * Whether `ManagedPolicy.attachToRole/User/Group` works for `principal` from `stack`: a role, user or group made in
 * this app, or a role imported as mutable (`Role.fromRoleArn`'s default) from the stack's own account. The account
 * counts as the same when both resolve to the same value, the stack's own `AWS::AccountId` included; an unknown one
 * (a parameter) does not. An immutable import (`mutable: false`, or a role of another account, which aws-cdk-lib
 * wraps the same way) cannot take a policy from here.
 */
export function isAttachable(principal: iam.IPrincipal, stack: Stack): principal is AttachablePrincipal {
  if ((principal instanceof iam.Role || principal instanceof iam.User || principal instanceof iam.Group) && Resource.isOwnedResource(principal)) {
    return true;
  }
  return isImportedMutableRole(principal) && sameAccount(principal, stack);
}

/** The kind of principal, for messages. */
export function kindOf(principal: iam.IPrincipal): 'role' | 'user' | 'group' {
  return principal instanceof iam.User ? 'user' : principal instanceof iam.Group ? 'group' : 'role';
}

/**
 * A role imported with `Role.fromRoleArn` (or `fromRoleName`) as mutable. aws-cdk-lib returns such a role itself;
 * an immutable one is a wrapper holding the imported role as `role` (with `addGrantsToResources`), as is a
 * precreated role under `Role.customizeRoles`.
 */
function isImportedMutableRole(principal: iam.IPrincipal): principal is iam.IRole & IConstruct {
  if (!Construct.isConstruct(principal) || principal instanceof iam.Role) {
    return false;
  }
  const candidate = principal as Partial<iam.IRole> & { role?: unknown; addGrantsToResources?: unknown };
  return typeof candidate.roleArn === 'string' && typeof candidate.roleName === 'string'
    && typeof candidate.attachInlinePolicy === 'function' && typeof candidate.addManagedPolicy === 'function'
    && candidate.role === undefined && candidate.addGrantsToResources === undefined
    && !Resource.isOwnedResource(principal);
}

function sameAccount(role: iam.IRole & IConstruct, stack: Stack): boolean {
  const account = (role as Partial<Resource>).env?.account;
  if (account === undefined) {
    return false;
  }
  return JSON.stringify(stack.resolve(account)) === JSON.stringify(stack.resolve(stack.account));
}
