/** The service name in a service ARN (`…:service/cluster/name` or the old `…:service/name`), or the input itself when it is already a name. */
export function readServiceName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn;
}
