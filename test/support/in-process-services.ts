import type { CloseHook, ServiceApp } from '@platform/common';
import { createLogger } from '@platform/common';
import { loadAnalyticsConfig } from '../../services/analytics/src/analytics-config';
import { buildAnalyticsService } from '../../services/analytics/src/service';
import { loadNotificationConfig } from '../../services/notification/src/notification-config';
import { buildNotificationService } from '../../services/notification/src/service';
import { loadOrderConfig } from '../../services/order/src/order-config';
import { buildOrderService } from '../../services/order/src/service';
import { loadProductConfig } from '../../services/product/src/product-config';
import { buildProductService } from '../../services/product/src/service';
import { buildUserService } from '../../services/user/src/service';
import { loadUserConfig } from '../../services/user/src/user-config';

export const SERVICES = ['user', 'product', 'order', 'notification', 'analytics'] as const;
export type Service = (typeof SERVICES)[number];

export interface BuiltService {
  readonly service: ServiceApp;
  readonly closeHooks: readonly CloseHook[];
}

/** Keys of test length; nothing signed with them leaves the process. */
export const IN_PROCESS_ENV: Readonly<Record<string, string>> = {
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'in-process-services-test-secret-of-at-least-32-bytes',
  SERVICE_KEY_ORDER: 'in-process-services-test-service-key-of-32-bytes',
  SERVICE_TOKEN_KEY: 'in-process-services-test-service-key-of-32-bytes',
  // Order's clients are built but never called by the tests that use this.
  USER_SERVICE_URL: 'http://127.0.0.1:1',
  PRODUCT_SERVICE_URL: 'http://127.0.0.1:2',
};

/**
 * A service as its main.ts builds it (the same build<Service>Service), on the in-memory adapters (STORAGE,
 * EVENTS and CACHE unset), without listening and without notification's workers or analytics' consumer.
 */
export async function buildInProcess(
  name: Service,
  env: Readonly<Record<string, string>> = IN_PROCESS_ENV,
): Promise<BuiltService> {
  switch (name) {
    case 'user': {
      const config = loadUserConfig(env);
      return buildUserService(config, createLogger(config));
    }
    case 'product': {
      const config = loadProductConfig(env);
      return buildProductService(config, createLogger(config));
    }
    case 'order': {
      const config = loadOrderConfig(env);
      return buildOrderService(config, createLogger(config));
    }
    case 'notification': {
      const config = loadNotificationConfig(env);
      const { service } = await buildNotificationService(config, createLogger(config));
      return { service, closeHooks: [] };
    }
    case 'analytics': {
      const config = loadAnalyticsConfig(env);
      const { service } = await buildAnalyticsService(config, createLogger(config));
      return { service, closeHooks: [] };
    }
  }
}
