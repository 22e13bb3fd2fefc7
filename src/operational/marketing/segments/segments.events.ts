import { declareEvent } from '#platform/events/index.js';

/** A contact came into or went out of a segment (a refresh, or a change to a static list). */
export interface SegmentMembershipPayload {
  segmentId: string;
  segmentName: string;
  contactId: string;
  /** `refresh` for dynamic and composite segments, `manual` for a static list's change. */
  via: 'refresh' | 'manual';
}

/** `segment.refreshed`: a segment's members were computed again. */
export interface SegmentRefreshedPayload {
  segmentId: string;
  segmentName: string;
  memberCount: number;
  entered: number;
  left: number;
}

export const SEGMENT_ENTERED = declareEvent<SegmentMembershipPayload>(
  'segment.entered',
  'segments',
);
export const SEGMENT_LEFT = declareEvent<SegmentMembershipPayload>('segment.left', 'segments');
export const SEGMENT_REFRESHED = declareEvent<SegmentRefreshedPayload>(
  'segment.refreshed',
  'segments',
);
