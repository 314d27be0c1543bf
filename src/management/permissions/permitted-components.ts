import { grantedPermissions, refuseUndeclared } from './permission-grants.js';

/** A route as the permission vocabulary writes it: `GET /path` (the path always starting with a slash). */
export function routeKey(route: string): string {
  const [type = 'GET', ...rest] = route.trim().split(/\s+/);
  const path = rest.join(' ');
  return `${type.toUpperCase()} ${path.startsWith('/') ? path : `/${path}`}`;
}

interface Inspected {
  packageName: string;
  components: { events: string[]; routes: string[] };
}

/**
 * The plugin's record as its host is started with it: the inspected events and routes narrowed to
 * what its granted permissions declare. The host's announcements are held to these components
 * (keepInspected), so an event handler or a route it did not declare gets no stub, at start or from
 * its init; each one left out is refused here, logged with the plugin's name.
 */
export function permittedRecord<R extends Inspected>(runtime: object, record: R): R {
  const granted = grantedPermissions(runtime, record.packageName);
  const events = record.components.events.filter((name) => {
    if (granted.events.includes(name)) return true;
    refuseUndeclared(runtime, record.packageName, `handle event ${name}`);
    return false;
  });
  const routes = record.components.routes.filter((route) => {
    if (granted.routes.includes(routeKey(route))) return true;
    refuseUndeclared(runtime, record.packageName, `serve route ${routeKey(route)}`);
    return false;
  });
  return { ...record, components: { ...record.components, events, routes } };
}
