/** The six layers, in data-flow order, plus the two cross-cutting placements. */
export const LAYERS = ['ingestion', 'storage', 'compute', 'ai', 'analytics', 'governance'] as const;
export const PLACEMENTS = [...LAYERS, 'edge', 'observability'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const namespaceName = (prefix: string, placement: Placement): string => `${prefix}-${placement}`;
