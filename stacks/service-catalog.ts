/**
 * What the product's services are and how they talk to each other. These are facts about the product,
 * not about an environment, so they live in code; the stack config only chooses images and sizing.
 */
export type DataStore = 'mongodb' | 'redis' | 'kafka';

/** The product's event topics (the architecture's list). */
export const EVENT_TOPICS = [
  'user-events',
  'order-events',
  'notification-events',
  'analytics-events',
] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

export interface CatalogEntry {
  /** Short description, shown in the plan summary and used as the Deployment description annotation. */
  readonly description: string;
  /** Services that call this one over HTTP (their pods may open connections to it). */
  readonly callers: readonly ServiceName[];
  /** Whether the north-south gateway routes public traffic to it. */
  readonly public: boolean;
  /** HTTP path prefixes the gateway routes to this service. */
  readonly pathPrefixes: readonly string[];
  /**
   * Edge rate limits (requests per minute per client IP) stricter than the gateway's default, for paths
   * under the prefixes; the stack file can override them (`platform:gateway.rateLimit.paths`).
   */
  readonly edgeRateLimits: Readonly<Record<string, number>>;
  /** Other services this one calls. */
  readonly calls: readonly ServiceName[];
  /** Data stores it connects to. */
  readonly stores: readonly DataStore[];
  /** Topics it writes events to. */
  readonly produces: readonly EventTopic[];
  /** Topics it reads, as the consumer group named after the service (with a dead-letter topic of its own). */
  readonly consumes: readonly EventTopic[];
}

export const SERVICE_NAMES = ['user', 'product', 'order', 'notification', 'analytics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SERVICE_CATALOG: Readonly<Record<ServiceName, CatalogEntry>> = {
  user: {
    description: 'Authentication and user accounts',
    callers: ['order'],
    public: true,
    pathPrefixes: ['/api/auth', '/api/users'],
    // Credential guessing and sign-up floods; the service also limits logins per email and per IP.
    edgeRateLimits: { '/api/auth/login': 20, '/api/auth/register': 10 },
    calls: [],
    stores: ['mongodb', 'redis', 'kafka'],
    produces: ['user-events'],
    consumes: [],
  },
  product: {
    description: 'Product catalog and inventory',
    callers: ['order'],
    public: true,
    pathPrefixes: ['/api/products'],
    edgeRateLimits: {},
    calls: [],
    stores: ['mongodb', 'redis', 'kafka'],
    produces: ['analytics-events'],
    consumes: [],
  },
  order: {
    description: 'Orders and payments',
    callers: [],
    public: true,
    pathPrefixes: ['/api/orders'],
    edgeRateLimits: {},
    calls: ['user', 'product'],
    stores: ['mongodb', 'kafka'],
    produces: ['order-events'],
    consumes: [],
  },
  notification: {
    description: 'Email, SMS and push notifications',
    callers: [],
    public: true,
    pathPrefixes: ['/api/notifications'],
    edgeRateLimits: {},
    calls: [],
    stores: ['mongodb', 'kafka'],
    produces: ['notification-events'],
    consumes: ['order-events', 'user-events'],
  },
  analytics: {
    description: 'Reports built from events',
    callers: [],
    public: true,
    pathPrefixes: ['/api/analytics'],
    edgeRateLimits: {},
    calls: [],
    stores: ['mongodb', 'redis', 'kafka'],
    produces: [],
    consumes: ['user-events', 'order-events', 'notification-events', 'analytics-events'],
  },
};

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}
