// English strings; the type makes a missing key a compile error.
import type { MessageKey } from './catalog.zh-CN.ts';

export const en: Record<MessageKey, string> = {
  'site.name': 'Leaders’ Message Boards',
  'site.tagline': 'Public messages to local leaders, answered in public',
  'site.skip': 'Skip to content',
  'nav.home': 'Home',
  'nav.language': 'Language',
  'nav.breadcrumb': 'You are here',
  'footer.about': 'Messages are handled in public, open to public oversight.',
  'footer.api': 'Open API',

  'home.title': 'Local leaders’ message boards',
  'home.intro':
    'Choose the board of the leader governing the place where the matter arose; if unsure, choose the level above.',
  'home.provinces': 'Provincial boards',
  'home.totals': 'The platform in figures',
  'home.total.provinces': 'Provincial-level regions with boards',
  'home.total.regions': 'Cities, counties and districts',
  'home.total.boards': 'Leaders’ boards',
  'home.total.units': 'Handling units',

  'region.boards': 'Leaders’ boards',
  'region.noBoards': 'This region has no leaders’ boards yet.',
  'region.children': 'Regions below',
  'region.noChildren': 'No regions below this one.',
  'region.units': 'Handling units',
  'region.level.province': 'Provincial level',
  'region.level.city': 'Prefecture level',
  'region.level.county': 'County level',

  'board.holder': 'Holder',
  'board.holderUnknown': 'not yet published',
  'board.unit': 'Responsible unit',
  'board.responsibilities': 'Responsibilities',
  'board.messages': 'Messages',
  'board.noMessages': 'No public messages yet.',
  'board.inactive': 'This board is not accepting messages at present.',

  'error.title': 'Something went wrong',
  'error.backHome': 'Back to the home page',
  'error.NOT_FOUND': 'The page you asked for does not exist.',
  'error.REGION_NOT_FOUND': 'There is no region with code {code}.',
  'error.BOARD_NOT_FOUND': 'There is no board number {id}.',
  'error.VALIDATION': 'Invalid request: {detail}',
  'error.INTERNAL': 'The server had an internal error. Please try again later.',
  'error.UNAVAILABLE': 'The service is unavailable for the moment. Please try again later.',
  'error.PAYLOAD_TOO_LARGE': 'What you sent is too large.',
  'error.BAD_REQUEST': 'The request is malformed.',
  'error.METHOD_NOT_ALLOWED': 'This request method is not supported.',

  'validation.regionCode': 'a region code has 6 digits',
  'validation.boardId': 'a board number is a positive whole number',
  'validation.field': 'field {field} is not valid',
};
