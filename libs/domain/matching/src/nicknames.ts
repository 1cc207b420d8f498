/**
 * Given names and the short forms people use for them, written here because no maintained package has
 * such a table. Each line is a canonical name and its nicknames; a nickname may belong to several names
 * ("Alex" is Alexander and Alexandra), and then a lead called Alex can match either. Lower-case, accents
 * folded, as `foldName` produces them. Mostly English, with common German, French, Spanish and Italian forms.
 */
const NICKNAMES: Readonly<Record<string, string>> = {
  abigail: 'abby abbie gail',
  abraham: 'abe bram',
  adelaide: 'addie addy heidi',
  adrian: 'ade',
  albert: 'al bert bertie',
  alexander: 'alex alec alek al sandy xander lex sasha',
  alexandra: 'alex alexa sandra sandy lexi sasha ali',
  alfred: 'al alf alfie fred freddie',
  alice: 'allie ally',
  allison: 'allie ally ali',
  amanda: 'mandy manda',
  andrew: 'andy drew dre',
  angela: 'angie',
  anna: 'ann anne annie anya',
  anthony: 'tony ant',
  antoinette: 'toni netty',
  arnold: 'arnie',
  arthur: 'art artie',
  barbara: 'barb babs barbie',
  benedict: 'ben benny',
  benjamin: 'ben benji benny',
  bernard: 'bernie barney bernd',
  beverly: 'bev',
  bradley: 'brad',
  brian: 'bri',
  calvin: 'cal',
  cameron: 'cam',
  caroline: 'carol carrie caro',
  catherine: 'cathy cath kate katie kathy cat',
  charles: 'charlie chuck chas chaz',
  charlotte: 'charlie lottie lotte',
  christian: 'chris',
  christina: 'chris chrissy tina',
  christine: 'chris chrissy tina',
  christopher: 'chris kit topher',
  christoph: 'chris',
  christophe: 'chris',
  clifford: 'cliff',
  stuart: 'stu',
  clinton: 'clint',
  constance: 'connie',
  cornelius: 'neil connie',
  cynthia: 'cindy',
  daniel: 'dan danny dani',
  danielle: 'dani elle',
  david: 'dave davey davy',
  deborah: 'deb debbie debby',
  dennis: 'denny',
  derek: 'del',
  dominic: 'dom',
  donald: 'don donnie',
  dorothy: 'dot dottie dolly',
  douglas: 'doug',
  edward: 'ed eddie ted teddy ned',
  edwin: 'ed eddie',
  eleanor: 'ellie nell nora elle',
  elizabeth: 'liz lizzie beth betty betsy eliza libby elisabeth',
  emily: 'em emmy millie',
  emma: 'em emmy',
  eugene: 'gene',
  evelyn: 'evie',
  frances: 'fran frankie fanny',
  francis: 'frank frankie fran',
  francisco: 'paco pancho fran',
  frank: 'frankie',
  franklin: 'frank',
  frederick: 'fred freddie freddy fritz',
  gabriel: 'gabe',
  gabrielle: 'gabby gabi elle',
  geoffrey: 'geoff jeff',
  george: 'georgie',
  gerald: 'gerry jerry',
  gertrude: 'gertie trudy',
  gilbert: 'gil bert',
  gregory: 'greg',
  gwendolyn: 'gwen wendy',
  harold: 'harry hal',
  harriet: 'hattie',
  henry: 'hank harry hal',
  herbert: 'herb bert',
  howard: 'howie',
  isaac: 'ike',
  isabella: 'bella izzy isabel',
  jacob: 'jake jay',
  jacqueline: 'jackie jacqui',
  james: 'jim jimmy jamie jay',
  jane: 'janie jenny',
  janet: 'jan',
  jeffrey: 'jeff',
  jennifer: 'jen jenny jenn',
  jeremy: 'jerry jem',
  jerome: 'jerry',
  jessica: 'jess jessie',
  joanna: 'jo joanne',
  johanna: 'jo hanna',
  john: 'jack johnny jon',
  jonathan: 'jon jonny nathan',
  joseph: 'joe joey jo',
  jose: 'pepe',
  josephine: 'jo josie',
  joshua: 'josh',
  judith: 'judy jude',
  julia: 'julie jules',
  katherine: 'kate katie kathy kat kay kitty katharina kathryn',
  kathleen: 'kathy kate',
  kenneth: 'ken kenny',
  kimberly: 'kim kimmy',
  lawrence: 'larry laurie',
  leonard: 'leo len lenny',
  leslie: 'les',
  lillian: 'lily lil',
  louis: 'lou louie',
  louise: 'lou lulu',
  lucas: 'luke',
  margaret: 'maggie meg peggy marge margie greta gretchen daisy rita',
  marjorie: 'marge margie',
  martin: 'marty',
  matilda: 'tilly tilda',
  matthew: 'matt matty',
  maximilian: 'max',
  maxime: 'max',
  melissa: 'mel missy',
  michael: 'mike mikey mick mickey',
  michelle: 'shelly',
  mitchell: 'mitch',
  nancy: 'nan',
  natalie: 'nat',
  nathaniel: 'nate nat nathan',
  nicholas: 'nick nicky nico',
  nicolas: 'nico',
  nicole: 'nicky nikki',
  oliver: 'ollie',
  olivia: 'liv livvy',
  pamela: 'pam',
  patricia: 'pat patty patsy trish tricia',
  patrick: 'pat paddy',
  peter: 'pete',
  philip: 'phil pip',
  phillip: 'phil',
  priscilla: 'cilla',
  rachel: 'rach',
  raymond: 'ray',
  rebecca: 'becky becca',
  richard: 'rich rick ricky dick',
  robert: 'rob bob bobby robbie bert',
  roberta: 'bobbie robbie',
  rodney: 'rod',
  ronald: 'ron ronnie',
  rosemary: 'rose rosie',
  samantha: 'sam sammy',
  samuel: 'sam sammy',
  sandra: 'sandy',
  sarah: 'sara sally sadie',
  sebastian: 'seb basti',
  stanley: 'stan',
  stephanie: 'steph stevie',
  stephen: 'steve stevie',
  steven: 'steve stevie',
  susan: 'sue susie suzy',
  suzanne: 'sue suzy',
  sylvester: 'sly',
  terence: 'terry',
  theodore: 'ted teddy theo',
  theresa: 'terry tess tessa',
  thomas: 'tom tommy thom',
  timothy: 'tim timmy',
  tobias: 'toby tobi',
  valerie: 'val',
  veronica: 'ronnie vera',
  victoria: 'vicky tori',
  vincent: 'vince vinny',
  virginia: 'ginny ginger',
  walter: 'walt wally',
  wilhelmina: 'mina willa',
  william: 'bill billy will willy liam wil',
  zachary: 'zach zack',
  // German
  johannes: 'hans jo hannes',
  andreas: 'andi andy',
  susanne: 'susi sanne',
  katharina: 'kathi kati',
  stefanie: 'steffi',
  florian: 'flo',
  nicola: 'nicky nikki',
  christiane: 'christel',
  wolfgang: 'wolf',
  friedrich: 'fritz',
  heinrich: 'heinz',
  jurgen: 'jurg',
  matthias: 'matze',
  // French
  francois: 'franck',
  guillaume: 'guy',
  jacques: 'jacky jack',
  // Spanish
  antonio: 'tono toni tonio',
  cristina: 'cris',
  enrique: 'kike quique',
  ignacio: 'nacho',
  manuel: 'manolo manu',
  jesus: 'chucho chuy',
  guadalupe: 'lupe',
  dolores: 'lola',
  concepcion: 'concha conchita',
  rosario: 'charo',
};

function buildIndex(): ReadonlyMap<string, readonly string[]> {
  const index = new Map<string, string[]>();
  const add = (name: string, canonical: string): void => {
    const list = index.get(name) ?? [];
    if (!list.includes(canonical)) list.push(canonical);
    index.set(name, list);
  };
  for (const [canonical, nicknames] of Object.entries(NICKNAMES)) {
    add(canonical, canonical);
    for (const nickname of nicknames.split(' ')) add(nickname, canonical);
  }
  for (const list of index.values()) list.sort();
  return index;
}

const INDEX = buildIndex();

/**
 * The canonical names a folded given name stands for, sorted: itself when it is a canonical name or not
 * in the table, and every name it is a nickname of. "bill" -> ["william"], "frank" -> ["francis",
 * "francisco", "frank", "franklin"], "zoltan" -> ["zoltan"]. Two given names are the same name when
 * their lists share an entry.
 */
export function canonicalGivenNames(folded: string): readonly string[] {
  const canonicals = INDEX.get(folded);
  return canonicals === undefined ? [folded] : canonicals;
}

/** Number of distinct names the table knows (canonical names and nicknames). */
export const NICKNAME_TABLE_SIZE = INDEX.size;

/**
 * Given names that are names in their own right, besides those in the nickname table. Two different
 * known names ("Christian" and "Christine", "Andreas" and "Andrea", "Patrick" and "Patricia") are two
 * names, however alike they look; a typo ("Chrsitine") is not a known name and is compared by similarity.
 */
const MORE_GIVEN_NAMES = `
aaron adam adrienne agnes aidan aileen alan alana albert alberto alejandra alfonso alicia alison alma alvaro amber amelia amelie
amy ana andre andrea andreas andres angel angelica angelika angelo anja annette annika antonia antonio ariana arnaud aurelie
ava barry beatrice beatriz bernadette bettina birgit blake bonnie brandon brenda brent brett bridget brigitte bruce bruno bryan
camille carina carl carla carlo carlos carmen carol carole carolina cecile cedric celine cesar chantal chelsea chloe christa
christiane claire clara claude claudia claudio colin colleen connor corinne craig cristina cristian curtis dale dana daniela
darren dean delphine denise derrick diana diane diego dieter dirk dominique donna doris dustin dylan eduardo elena elias elisa
ella ellen elsa emil emile emilia emilie emilio enzo eric erica erik erika ernesto esther ethan eva evan evie fabian fabienne
felix fernando fiona florence florian francesca francesco francoise franziska freya gabriela gareth gary gemma gerard gerhard
gilles gina giulia glen glenn gloria gordon grace graham greta guido gunter hannah hanna harald harrison hartmut hector heidi
heike helen helena helene helga helmut hugo ian ines ingrid irene iris isabel isabelle isla ivan ivy jade jan jana janine
jasmine javier jean jeanne jenna jens jesse jill joan joanna joao joel johann jordan jorg jorge jose josef juan juana julian
juliana julie julien juliette justin jutta karen karin karina karl katarina kathrin katja keith kelly kerstin kevin kirsten
klaus kurt kyle lara laura laure laurent lea leah leon leonie lena lina linda lisa logan lorena lorenzo lothar lucia lucie
lucy ludwig luis luisa luka lukas lydia madeleine magdalena manon manuela marc marcel marco marcus marek margot maria mariana
marie marina mario marion marius mark markus marta martha martina mary mathias mathilde mathieu matteo maurice max maxime
maya megan melanie mia miguel milan miriam mohammed monica monika morgan nadia nadine naomi nathalie neil nicola nicolas niklas
nina noah noel nora norbert norma oliver olga oscar otto pablo paola pascal paul paula pauline pedro petra philippe pierre
pilar poppy rafael rainer ralf ralph ramon raphael raquel raul regina reinhard renate rene renee ricardo rita roberto rocio
roger roland rolf romain rosa ross ruben rudiger ruth ryan sabine sabrina sacha salvador sam sandrine santiago sara sean
sergio sharon sheila shirley silke silvia simon simone sofia sonia sonja sophia sophie stefan stefanie stella sue susanne
sven sylvia sylvie tanja tara teresa thierry thomas tim tina tobias todd tom tomas travis trevor ulrich ulrike ursula uwe
valentin valentina vanessa vera veronique victor vincent viola virginie walter wendy werner william xavier yann yvonne zoe
`;

const KNOWN_GIVEN_NAMES: ReadonlySet<string> = new Set([...INDEX.keys(), ...MORE_GIVEN_NAMES.split(/\s+/).filter((name) => name !== '')]);

/** True for a folded given name the library knows as a name of its own. */
export function isKnownGivenName(folded: string): boolean {
  return KNOWN_GIVEN_NAMES.has(folded);
}
