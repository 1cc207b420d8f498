// Name, company and place data for the generator. Lists start with the most common names: the generator
// draws from them with a skewed distribution, so common names (John Smith, Maria Garcia) recur at
// different companies the way they do in real lead lists.

export interface CountryProfile {
  readonly country: string;
  /** What a lead types in the country field (several spellings, enrichment normalises them). */
  readonly countryTyped: readonly string[];
  readonly callingCode: string;
  /** National significant number length (digits after the calling code). */
  readonly nationalDigits: number;
  /** Leading digits of a plausible national number. */
  readonly nationalPrefixes: readonly string[];
  readonly tld: string;
  readonly legalSuffixes: readonly string[];
  readonly maleNames: readonly string[];
  readonly femaleNames: readonly string[];
  readonly lastNames: readonly string[];
  /** Syllables of the long tail of rarer family names: most people are not called Smith. */
  readonly surnameStems: readonly string[];
  readonly surnameEnds: readonly string[];
  /** Share of the people in the data set. */
  readonly share: number;
}

export const COUNTRIES: readonly CountryProfile[] = [
  {
    country: 'US',
    countryTyped: ['US', 'USA', 'United States', 'us'],
    callingCode: '1',
    nationalDigits: 10,
    nationalPrefixes: ['415', '212', '312', '617', '206', '512', '303', '404', '646', '213'],
    tld: 'com',
    legalSuffixes: ['Inc', 'Inc.', 'LLC', 'Corp', 'Corporation', 'Co.', 'Company'],
    maleNames: ['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Christopher', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kenneth', 'Kevin', 'Brian', 'George', 'Timothy', 'Ronald', 'Edward', 'Jason', 'Jeffrey', 'Ryan', 'Jacob', 'Gary', 'Nicholas', 'Eric', 'Jonathan', 'Stephen', 'Larry', 'Justin', 'Scott', 'Brandon', 'Benjamin', 'Samuel', 'Gregory', 'Alexander', 'Patrick', 'Frank', 'Raymond', 'Jack', 'Dennis', 'Jerry', 'Tyler', 'Aaron', 'Henry', 'Douglas', 'Peter', 'Nathan', 'Zachary', 'Walter', 'Harold', 'Kyle'],
    femaleNames: ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Lisa', 'Nancy', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle', 'Carol', 'Amanda', 'Dorothy', 'Melissa', 'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia', 'Kathleen', 'Amy', 'Angela', 'Shirley', 'Anna', 'Brenda', 'Pamela', 'Emma', 'Nicole', 'Helen', 'Samantha', 'Katherine', 'Christine', 'Debra', 'Rachel', 'Carolyn', 'Janet', 'Catherine', 'Maria', 'Heather', 'Diane', 'Ruth', 'Julie', 'Olivia', 'Joyce', 'Virginia', 'Victoria', 'Kelly', 'Lauren', 'Christina'],
    lastNames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', "O'Brien", 'McDonald', 'Sullivan', 'Schneider', 'Kowalski', 'Nakamura', 'Chen', 'Wang', 'Singh', 'Fitzgerald', 'Vanderbilt', 'Hoffman', 'Russo', 'Becker', 'Novak', 'Larsen', 'Olsen', 'Dubois'],
    surnameStems: ['Ash', 'Brad', 'Carl', 'Dun', 'Ell', 'Fair', 'Gar', 'Hal', 'Kings', 'Lang', 'Mar', 'Nor', 'Pem', 'Rad', 'Stan', 'Thorn', 'Wal', 'Whit', 'Bur', 'Cres', 'Hol', 'Mor', 'Pres', 'Sher'],
    surnameEnds: ['ford', 'ley', 'ton', 'wood', 'field', 'by', 'worth', 'man', 'son', 'well', 'ridge', 'more', 'ham', 'ing', 'sby', 'er', 'ett', 'dale'],
    share: 0.45,
  },
  {
    country: 'GB',
    countryTyped: ['GB', 'UK', 'United Kingdom', 'England'],
    callingCode: '44',
    nationalDigits: 10,
    nationalPrefixes: ['20', '161', '131', '117', '113', '7700', '7911', '7400'],
    tld: 'co.uk',
    legalSuffixes: ['Ltd', 'Limited', 'Ltd.', 'PLC', 'plc', 'LLP'],
    maleNames: ['Oliver', 'George', 'Harry', 'Jack', 'Jacob', 'Charlie', 'Thomas', 'Oscar', 'William', 'James', 'Henry', 'Alfie', 'Joshua', 'Freddie', 'Archie', 'Ethan', 'Isaac', 'Alexander', 'Joseph', 'Edward', 'Samuel', 'Max', 'Daniel', 'Arthur', 'Lucas', 'Mohammed', 'Logan', 'Theo', 'Harrison', 'Benjamin', 'Matthew', 'Adam', 'Ian', 'Gareth', 'Nigel', 'Graham', 'Simon', 'Neil', 'Stuart', 'Alistair'],
    femaleNames: ['Olivia', 'Amelia', 'Isla', 'Ava', 'Emily', 'Sophia', 'Grace', 'Mia', 'Poppy', 'Ella', 'Lily', 'Evie', 'Isabella', 'Sophie', 'Ivy', 'Freya', 'Harper', 'Willow', 'Charlotte', 'Jessica', 'Sarah', 'Emma', 'Rebecca', 'Hannah', 'Lucy', 'Victoria', 'Claire', 'Fiona', 'Gemma', 'Louise', 'Joanne', 'Nicola', 'Kirsty', 'Siobhan', 'Eleanor', 'Margaret', 'Elizabeth', 'Catherine', 'Alison', 'Helen'],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis', 'James', 'Phillips', 'Mason', 'Mitchell', 'Rose', 'Davis', 'Rodgers', 'Morgan', 'Hughes', 'Edwards', 'Turner', 'Hill', 'Moore', 'Cooper', 'Ward', 'Morris', 'King', 'Watson', 'Harrison', 'Baker', 'Young', 'Allen', 'Scott', 'Murray', 'Campbell', 'Stewart', 'MacDonald', 'Fraser', 'Graham', 'Kennedy', 'Ferguson', 'Reid', 'Ross', 'Hamilton', 'Owen', 'Price', 'Griffiths', 'Lloyd', 'Ahmed', 'Begum', 'Ali', 'Hussain', 'Singh', 'Kaur', 'Shah', 'Sharma', 'Gill'],
    surnameStems: ['Ash', 'Brad', 'Carl', 'Dun', 'Ell', 'Fair', 'Gar', 'Hal', 'Kings', 'Lang', 'Mar', 'Nor', 'Pem', 'Rad', 'Stan', 'Thorn', 'Wal', 'Whit', 'Bur', 'Cres', 'Hol', 'Mor', 'Pres', 'Sher'],
    surnameEnds: ['ford', 'ley', 'ton', 'wood', 'field', 'by', 'worth', 'man', 'son', 'well', 'ridge', 'more', 'ham', 'ing', 'sby', 'er', 'ett', 'dale'],
    share: 0.2,
  },
  {
    country: 'DE',
    countryTyped: ['DE', 'Germany', 'Deutschland'],
    callingCode: '49',
    nationalDigits: 11,
    nationalPrefixes: ['30', '89', '40', '221', '69', '711', '151', '160', '170'],
    tld: 'de',
    legalSuffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'SE'],
    maleNames: ['Thomas', 'Michael', 'Andreas', 'Stefan', 'Christian', 'Peter', 'Markus', 'Frank', 'Klaus', 'Jürgen', 'Wolfgang', 'Uwe', 'Matthias', 'Tobias', 'Alexander', 'Sebastian', 'Jan', 'Lukas', 'Jonas', 'Maximilian', 'Florian', 'Daniel', 'Dirk', 'Holger', 'Bernd', 'Johannes', 'Felix', 'Moritz', 'Niklas', 'Timo', 'Sven', 'Jörg', 'Rüdiger', 'Günter'],
    femaleNames: ['Sabine', 'Andrea', 'Petra', 'Claudia', 'Susanne', 'Nicole', 'Stefanie', 'Julia', 'Katharina', 'Anna', 'Laura', 'Lena', 'Sarah', 'Lisa', 'Monika', 'Birgit', 'Ursula', 'Christine', 'Anja', 'Kerstin', 'Melanie', 'Sandra', 'Jana', 'Hannah', 'Lea', 'Sophie', 'Marie', 'Jutta', 'Heike', 'Gisela', 'Bärbel', 'Dörte'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Schmid', 'Schulze', 'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz', 'Möller', 'Weiß', 'Jung', 'Hahn', 'Vogel', 'Friedrich', 'Keller', 'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck', 'Lorenz', 'Baumann', 'von Bergen', 'Yılmaz', 'Kaya', 'Nowak'],
    surnameStems: ['Bach', 'Berg', 'Brenn', 'Eich', 'Falk', 'Gold', 'Hau', 'Kirch', 'Lind', 'Mol', 'Reich', 'Rosen', 'Schön', 'Stein', 'Wald', 'Wein', 'Dorn', 'Grün', 'Harz', 'Kling', 'Lau', 'Sonn'],
    surnameEnds: ['mann', 'er', 'berger', 'hof', 'feld', 'bach', 'stein', 'haus', 'ner', 'inger', 'ke', 'ler', 'hardt', 'meier', 'wald', 'brück'],
    share: 0.15,
  },
  {
    country: 'FR',
    countryTyped: ['FR', 'France'],
    callingCode: '33',
    nationalDigits: 9,
    nationalPrefixes: ['1', '4', '6', '7', '2', '5'],
    tld: 'fr',
    legalSuffixes: ['SAS', 'SA', 'SARL', 'S.A.S.', 'SASU'],
    maleNames: ['Jean', 'Pierre', 'Michel', 'Philippe', 'Alain', 'Nicolas', 'François', 'Christophe', 'Laurent', 'Frédéric', 'Éric', 'Olivier', 'Julien', 'Sébastien', 'Thomas', 'Antoine', 'Maxime', 'Hugo', 'Lucas', 'Louis', 'Guillaume', 'Mathieu', 'Stéphane', 'Jérôme', 'Benoît', 'Jacques', 'Patrick', 'Vincent', 'Arnaud', 'Cédric'],
    femaleNames: ['Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Christine', 'Sophie', 'Céline', 'Julie', 'Camille', 'Léa', 'Manon', 'Chloé', 'Émilie', 'Aurélie', 'Sandrine', 'Valérie', 'Hélène', 'Claire', 'Anne', 'Laure', 'Élodie', 'Amélie', 'Margaux', 'Inès', 'Mathilde', 'Océane'],
    lastNames: ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', "d'Arcy", 'de la Fontaine', 'Benali', 'Nguyen'],
    surnameStems: ['Beau', 'Bel', 'Char', 'Du', 'Fon', 'Gar', 'Lam', 'Mar', 'Mon', 'Pon', 'Ros', 'Vil', 'Cour', 'Dela', 'Gris', 'Lacro', 'Roche', 'Sau'],
    surnameEnds: ['champ', 'mont', 'lier', 'rand', 'teau', 'nier', 'ville', 'court', 'bert', 'chard', 'lot', 'det', 'vel', 'quet', 'zière', 'lin'],
    share: 0.1,
  },
  {
    country: 'ES',
    countryTyped: ['ES', 'Spain', 'España'],
    callingCode: '34',
    nationalDigits: 9,
    nationalPrefixes: ['91', '93', '96', '95', '6', '7'],
    tld: 'es',
    legalSuffixes: ['S.L.', 'SL', 'S.A.', 'SA', 'S.L.U.'],
    maleNames: ['Antonio', 'José', 'Manuel', 'Francisco', 'David', 'Juan', 'Javier', 'Daniel', 'José Luis', 'Carlos', 'Jesús', 'Alejandro', 'Miguel', 'Rafael', 'Pablo', 'Sergio', 'Fernando', 'Jorge', 'Luis', 'Alberto', 'Álvaro', 'Adrián', 'Diego', 'Raúl', 'Enrique', 'Ignacio', 'Rubén', 'Óscar'],
    femaleNames: ['María', 'Carmen', 'Ana', 'Isabel', 'Laura', 'Cristina', 'Marta', 'Lucía', 'Elena', 'Paula', 'Sara', 'Raquel', 'Pilar', 'Beatriz', 'Nuria', 'Silvia', 'Patricia', 'Rosa', 'Dolores', 'Lorena', 'Inés', 'Sofía', 'Alba', 'Andrea', 'Irene', 'Rocío'],
    lastNames: ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Gutiérrez', 'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos', 'Gil', 'Ramírez', 'Serrano', 'Blanco', 'Molina', 'Morales', 'Suárez', 'Ortega', 'Delgado', 'Castro', 'Ortiz', 'Rubio', 'Marín', 'Sanz', 'Núñez', 'Iglesias', 'Medina', 'Garrido', 'Cortés', 'Castillo', 'Santos', 'Lozano', 'Guerrero', 'Cano', 'Prieto', 'de la Cruz'],
    surnameStems: ['Al', 'Bar', 'Cal', 'Es', 'Fer', 'Gal', 'Man', 'Mon', 'Per', 'Quin', 'San', 'Val', 'Ar', 'Bel', 'Cas', 'Ol', 'Rod', 'Ver'],
    surnameEnds: ['cázar', 'dés', 'tero', 'vez', 'era', 'ona', 'illo', 'ares', 'ueza', 'eda', 'ero', 'ano', 'iel', 'uela', 'ado', 'ías'],
    share: 0.1,
  },
];

/** Words company names are made of: "Northwind Logistics", "Blue Harbor Analytics". */
export const COMPANY_HEADS: readonly string[] = [
  'Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Cyberdyne', 'Tyrell', 'Wonka', 'Gringotts',
  'Blue Harbor', 'Red Rock', 'Silver Lake', 'Green Valley', 'Iron Bridge', 'Golden Gate', 'Summit', 'Pinnacle', 'Apex', 'Vertex', 'Nimbus', 'Quantum',
  'Helix', 'Orion', 'Polaris', 'Zenith', 'Atlas', 'Titan', 'Nova', 'Stellar', 'Lumen', 'Evergreen', 'Cedar', 'Maple', 'Oakridge', 'Riverbend', 'Lakeside',
  'Brightwater', 'Clearpath', 'Bluebird', 'Falcon', 'Eagle', 'Harbor', 'Beacon', 'Keystone', 'Cornerstone', 'Sterling', 'Crescent', 'Meridian', 'Horizon',
  'Frontier', 'Pioneer', 'Vanguard', 'Paragon', 'Sentinel', 'Catalyst', 'Synergy', 'Fusion', 'Vector', 'Matrix', 'Nexus', 'Axiom', 'Vivid', 'Kinetic',
  'Alpen', 'Rhein', 'Nordlicht', 'Schwarzwald', 'Elbe', 'Bergmann', 'Lumière', 'Soleil', 'Provence', 'Étoile', 'Sierra', 'Mediterráneo', 'Ibérica', 'Costa',
  'Castellana', 'Aurora', 'Boreal', 'Granite', 'Copper', 'Cobalt', 'Indigo', 'Saffron', 'Juniper', 'Willow', 'Aspen', 'Sequoia', 'Redwood', 'Tamarind',
];
export const COMPANY_PREFIXES: readonly string[] = [
  'North', 'South', 'East', 'West', 'Pacific', 'Atlantic', 'Central', 'Global', 'United', 'First', 'Prime', 'Metro', 'Royal', 'New', 'Grand', 'Alpine',
];
export const COMPANY_TAILS: readonly string[] = [
  '', '', '', 'Systems', 'Software', 'Logistics', 'Analytics', 'Labs', 'Consulting', 'Partners', 'Holdings', 'Industries', 'Technologies', 'Solutions',
  'Capital', 'Health', 'Energy', 'Foods', 'Retail', 'Media', 'Networks', 'Robotics', 'Security', 'Finance', 'Insurance', 'Manufacturing', 'Pharma',
  'Design', 'Engineering', 'Digital', 'Cloud', 'Data', 'Ventures', 'Group', 'Travel', 'Mobility', 'Bau', 'Technik', 'Conseil', 'Servicios',
];

export const TITLES: readonly string[] = [
  'Marketing Manager', 'VP Sales', 'Chief Technology Officer', 'Software Engineer', 'Head of Operations', 'Finance Director', 'HR Business Partner',
  'Account Executive', 'Product Manager', 'IT Administrator', 'CEO', 'Customer Success Manager', 'Data Analyst', 'Procurement Lead', 'Legal Counsel',
  'Sales Development Representative', 'Director of Marketing', 'Office Manager', 'Senior Consultant', 'Geschäftsführer', 'Directeur Commercial', 'Jefe de Ventas',
];

export const FREE_MAIL_DOMAINS: readonly string[] = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'gmx.de', 'web.de', 'orange.fr', 'hotmail.es'];

export const SOURCES: readonly string[] = ['website', 'webinar', 'partner', 'api', 'csv', 'form', 'event'];
