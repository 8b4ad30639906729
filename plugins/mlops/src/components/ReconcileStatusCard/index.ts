export { ReconcileStatusCard } from './ReconcileStatusCard';
