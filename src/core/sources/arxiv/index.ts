export { createArxivSource, arxivUserAgent, ARXIV_INTERVAL_MS, type ArxivSource, type ArxivSourceOptions, type FeedResult } from './client.ts';
export { parseAnnouncement, rfc822Day, type Announcement, type AnnouncedItem } from './rss.ts';
export { parseApiFeed, type ApiEntry, type ApiFeed } from './atom.ts';
export { announcedPaper, apiDetails } from './to-paper.ts';
export { splitAuthors } from './authors.ts';
export { Pacer } from './pacer.ts';
export { CATEGORIES, canonicalCategory, categoryCovers, closeCategories, isArchive } from './taxonomy.ts';
export { lastAnnouncement, announcementText, type AnnouncementRecord } from './record.ts';
