import { z } from 'zod';

/** Tool argument primitives, as strict as the HTTP routes' validators. */
export const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a Kubernetes object name');
export const namespace = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace name');
export const kindRef = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9.-]{0,252}$/)
  .describe(
    'Kind, plural or plural.group, e.g. pods, Deployment, virtualservices.networking.istio.io',
  );
export const reason = z
  .string()
  .min(3)
  .max(1000)
  .describe('Why this change fixes the problem, in the user language; shown to the approver');
